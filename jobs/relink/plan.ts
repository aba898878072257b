// relink's read-only plan: the chosen draft judged on its real path (inside the CapCut draft root or the local
// drafts root, never on the share), the run's link and info checked (a real folder or file named `capcut_draft`
// is never replaced), coordination locks on the run, a free backup name, and the facts a later apply re-checks.
import path from 'node:path';
import { draftNameHasEpisode } from '../../lib/capcut/candidates.js';
import { auditDraft, auditVerdict } from '../../lib/capcut/draft-audit.js';
import { isInside } from '../../lib/fs/contain.js';
import { errCode } from '../../lib/fs/errors.js';
import { entryExists, lstatOrNull, statOrNull } from '../../lib/fs/exists.js';
import { realPathUnder } from '../../lib/fs/real-path.js';
import { blockingLocksForFile, readActiveLocks } from '../../lib/locks/coordination.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { PATH_REF_SCHEMA, type PathRef } from '../../lib/planning/draft-info.js';
import { refusedDraft } from '../engine/refused.js';
import { stampOf } from '../engine/stamp.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import type { RelinkAction } from './action.js';
import type { RelinkInput } from './input.js';
import { draftRoots } from './listing.js';
import { DRAFT_LINK, infoState, linkState, selectEpisodeRun } from './state.js';

type ChosenDraft = { ok: true; abs: string; real: string; ref: PathRef } | { ok: false; refusal: Refusal };

const refusal = (code: string, message: string): ChosenDraft => ({ ok: false, refusal: { code, message } });

/** The draft as given, judged on its real path; `abs` is the configured root plus the real relative path. */
export async function chooseDraft(ctx: JobContext, given: string): Promise<ChosenDraft> {
  if (given.includes('\0')) return refusal('DRAFT_INVALID', 'the draft path contains a NUL byte');
  const roots = draftRoots(ctx);
  const tries = path.isAbsolute(given) ? [path.resolve(given)] : roots.map((r) => path.resolve(r.dir, given));
  const { sharedRoot } = ctx.paths;
  // Checked before anything is stat'ed: a path on the share is never touched (it may hang).
  const onShare = tries.find((p) => sharedRoot && isInside(sharedRoot, p, { caseInsensitive: true }));
  if (onShare) return refusal('DRAFT_ON_SHARE', `${onShare} is on the share: a Hot draft must be on the Mac`);
  let found: string | undefined;
  for (const p of tries) if (!found && (await lstatOrNull(p))) found = p;
  if (!found) return refusal('DRAFT_MISSING', `no draft folder at ${tries.join(' or ')}`);
  for (const root of roots) {
    if (!(await statOrNull(root.dir))?.isDirectory()) continue;
    let real: Awaited<ReturnType<typeof realPathUnder>>;
    try {
      real = await realPathUnder(root.dir, found, { followLast: true });
    } catch (err) {
      // A link loop or an unreadable folder: the real path cannot be judged, so it is not accepted.
      return refusal('DRAFT_UNREADABLE', `${found}: its real path cannot be read (${errCode(err) ?? err})`);
    }
    if (real.rel === null || real.rel === '') continue;
    const st = await statOrNull(real.abs);
    if (!st?.isDirectory()) return refusal('DRAFT_NOT_A_DIRECTORY', `${found} is not a folder`);
    const abs = path.join(root.dir, ...real.rel.split('/'));
    return { ok: true, abs, real: real.abs, ref: { schema: PATH_REF_SCHEMA, root: root.key, rel: real.rel } };
  }
  return refusal(
    'DRAFT_OUTSIDE_ROOT',
    `${found} is not inside the CapCut draft root (${ctx.paths.capcutDraftRoot}) or the local drafts root (${ctx.paths.capcutFallbackRoot}), judged on its real path`,
  );
}

/** `capcut_draft.symlink_backup__<STAMP>`, or with `__2`, `__3` … when that name is taken: never overwritten. */
async function freeBackupName(runDir: string, now: Date): Promise<string> {
  const base = path.join(runDir, `${DRAFT_LINK}.symlink_backup__${stampOf(now)}`);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}__${n}`;
    if (!(await entryExists(candidate))) return candidate;
  }
}

const sameRef = (a: JsonValue, b: PathRef) =>
  !!a && typeof a === 'object' && !Array.isArray(a) && a.schema === b.schema && a.root === b.root && a.rel === b.rel;

export async function planRelink(input: RelinkInput, ctx: JobContext): Promise<PlanDraft> {
  const run = await selectEpisodeRun(ctx, input.episode);
  if (!run) return refusedDraft([{ code: 'NO_RUN', message: `${input.episode} has no video run in video/runs` }]);
  const [link, info, draft] = await Promise.all([
    linkState(ctx, run.dir),
    infoState(ctx, run.dir),
    chooseDraft(ctx, input.draft),
  ]);
  const refusals: Refusal[] = [];
  const warnings: string[] = [];
  if (!draft.ok) refusals.push(draft.refusal);
  if (link.kind === 'directory' || link.kind === 'other') {
    refusals.push({
      code: 'LINK_NOT_SYMLINK',
      message: `${link.path} is a real ${link.kind === 'directory' ? 'folder' : 'file'}, not a link: relink never replaces it; move it aside by hand if it is not needed`,
    });
  }
  if (info.error) {
    refusals.push({
      code: 'INFO_UNREADABLE',
      message: `${info.path}: ${info.error}; relink does not rewrite a file it cannot read (its other keys would be lost)`,
    });
  }
  const locks = await readActiveLocks(ctx.paths.agentQueueDir, { now: ctx.now() });
  const lockIds = new Set<string>();
  for (const p of [run.dir, link.path, info.path]) {
    for (const l of await blockingLocksForFile(ctx.paths.repoRoot, p, locks, { now: ctx.now() })) {
      if (lockIds.has(l.id)) continue;
      lockIds.add(l.id);
      refusals.push({
        code: 'LOCKED',
        message: `video/runs/${run.runId} is under coordination lock ${l.id} (by ${l.createdBy || '?'}${l.note ? `: ${l.note}` : ''}${l.expiresAt ? `, until ${l.expiresAt.toISOString()}` : ''})`,
      });
    }
  }
  const preconditions: JsonObject = {
    run: run.runId,
    link: { kind: link.kind, target: link.target },
    info: { exists: info.exists, sha256: info.sha256 },
    draft: draft.ok ? { real: draft.real, ref: { ...draft.ref } } : null,
    locks: [...lockIds],
  };
  if (!draft.ok || refusals.length > 0) return { ...refusedDraft(refusals, preconditions), warnings };

  const audit = await auditDraft(draft.real, { shareRoot: ctx.paths.sharedRoot });
  if (!audit.ok) warnings.push(`the chosen draft fails the deep audit: ${auditVerdict(audit)}`);
  if (!draftNameHasEpisode(path.basename(draft.abs), input.episode)) {
    warnings.push(`the chosen draft's name does not carry ${input.episode}: ${path.basename(draft.abs)}`);
  }
  if (run.videoRunIdMissing)
    warnings.push('status.json names a video run that is not in video/runs; the newest run is used');
  const linkDone = link.kind === 'symlink' && link.state === 'ok' && link.target === draft.abs;
  const infoDone = info.draftPath === draft.abs && sameRef(info.draftPathRef, draft.ref);
  if (linkDone && infoDone) {
    return {
      preconditions,
      actions: [],
      warnings,
      refusals,
      summary: `${input.episode}: video/runs/${run.runId} already points at ${draft.abs}; nothing to do`,
    };
  }
  const action: RelinkAction = {
    op: 'relink',
    episode: input.episode,
    runId: run.runId,
    runDir: run.dir,
    link: link.path,
    oldTarget: link.kind === 'symlink' ? link.target : null,
    replaceLink: !linkDone,
    backup: !linkDone && link.kind === 'symlink' ? await freeBackupName(run.dir, ctx.now()) : null,
    draft: draft.abs,
    ref: { ...draft.ref },
    info: info.path,
    infoSha256: info.sha256,
    oldDraftPath: info.draftPath ?? link.resolved,
  };
  return {
    preconditions,
    actions: [action],
    warnings,
    refusals,
    summary: `relink ${input.episode} (run ${run.runId}) to ${draft.abs}${audit.ok ? '' : ' (the draft FAILS the deep audit)'}`,
  };
}
