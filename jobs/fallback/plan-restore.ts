// `ytm fallback restore`'s read-only plan: once the share is up, each folder the fallback materialised under
// video/input is linked back to the share (its newest `<name>.symlink_shared_backup_*` link is renamed back),
// but only when the share has the content: every local file must have a copy on the share that is the same
// (size and SHA-256) or newer. A folder holding a file that is newer than the share's copy, or that the share
// lacks, is left as it is and reported: local work is never deleted.
import path from 'node:path';
import { lstatOrNull } from '../../lib/fs/exists.js';
import { sha256File } from '../../lib/fs/hash.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { refusedDraft } from '../engine/refused.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import { probeShare } from '../store/target.js';
import type { FallbackAction } from './action.js';
import { type InputLink, inputDir, inputEntries, inputLink, reachTargets } from './links.js';
import { backupOriginal, PLACEHOLDER } from './names.js';
import { listTree } from './tree.js';

type Removal = Extract<FallbackAction, { op: 'restore' }>['remove'][number];
type Kept = { rel: string; why: string };

/** Each local file against the share's copy: removable (same, older, our placeholder) or kept. */
async function compare(localDir: string, shareDir: string): Promise<{ remove: Removal[]; kept: Kept[] }> {
  const remove: Removal[] = [];
  const kept: Kept[] = [];
  for (const e of await listTree(localDir)) {
    if (e.type === 'dir') continue;
    if (e.type === 'link') {
      kept.push({ rel: e.rel, why: `a link (to ${e.target}) made locally` });
      continue;
    }
    const fact = { rel: e.rel, size: e.size, mtimeMs: e.mtimeMs };
    const there = await lstatOrNull(path.join(shareDir, e.rel));
    if (!there?.isFile()) {
      if (e.rel === PLACEHOLDER) remove.push({ ...fact, why: 'placeholder' });
      else kept.push({ rel: e.rel, why: 'not on the share' });
      continue;
    }
    if (there.size === e.size) {
      const [a, b] = await Promise.all([
        sha256File(path.join(localDir, e.rel)),
        sha256File(path.join(shareDir, e.rel)),
      ]);
      if (a.sha256 === b.sha256) {
        remove.push({ ...fact, why: 'same' });
        continue;
      }
    }
    if (e.mtimeMs > there.mtimeMs) kept.push({ rel: e.rel, why: 'newer than the share’s copy' });
    else remove.push({ ...fact, why: 'older' });
  }
  return { remove, kept };
}

const refused = (share: JsonObject, refusal: Refusal): PlanDraft => refusedDraft([refusal], { shareCheck: share });

export async function planRestore(ctx: JobContext): Promise<PlanDraft> {
  const probe = await probeShare(ctx);
  const share = { state: probe.state, root: probe.root };
  if (probe.state !== 'up') {
    return refused(share, {
      code: 'SHARE_DOWN',
      message: `the share is ${probe.state} (${probe.reason}): links are restored only once it is up`,
    });
  }
  // The newest backup of each name (stamps sort in time order); older ones stay as they are.
  const newest = new Map<string, string>();
  for (const e of await inputEntries(ctx)) {
    const original = e.isSymbolicLink() ? backupOriginal(e.name) : null;
    if (original !== null && (newest.get(original) ?? '') < e.name) newest.set(original, e.name);
  }
  const backups: InputLink[] = [];
  for (const name of [...newest.values()].sort()) backups.push(await inputLink(ctx, name));
  const reach = await reachTargets(
    ctx,
    probe,
    backups.map((b) => b.absoluteTarget),
  );
  if (!reach.ok) {
    return refused(share, { code: 'SHARE_HUNG', message: `the share's copies could not be checked: ${reach.message}` });
  }
  const actions: FallbackAction[] = [];
  const warnings: string[] = [];
  const facts: JsonObject = {};
  for (const [i, b] of backups.entries()) {
    const name = backupOriginal(b.name) as string;
    const link = path.join(inputDir(ctx), name);
    if (!b.intoShare) continue;
    if (reach.states[i] !== 'exists') {
      warnings.push(`video/input/${name}: left as it is — the share has no ${b.absoluteTarget} yet`);
      continue;
    }
    const here = await lstatOrNull(link);
    if (here?.isSymbolicLink()) continue;
    if (here && !here.isDirectory()) {
      warnings.push(`video/input/${name}: left as it is — it is neither a folder nor a link`);
      continue;
    }
    const { remove, kept } = here ? await compare(link, b.absoluteTarget) : { remove: [], kept: [] };
    facts[name] = { backup: b.name, target: b.target, local: remove as unknown as JsonValue, kept: kept.length };
    if (kept.length > 0) {
      warnings.push(
        `video/input/${name}: kept, not linked back — ${kept.length} local file(s) are newer than the share's copy or only here (${kept
          .slice(0, 5)
          .map((k) => `${k.rel}: ${k.why}`)
          .join(
            '; ',
          )}${kept.length > 5 ? '; …' : ''}); store them to the share, then run \`ytm fallback restore\` again`,
      );
      continue;
    }
    actions.push({ op: 'restore', name, link, backup: b.link, target: b.target, remove, localDir: here !== null });
  }
  const kept = Object.values(facts).filter((f) => (f as { kept: number }).kept > 0).length;
  return {
    preconditions: { shareCheck: share, folders: facts },
    actions: actions as JsonValue[],
    warnings,
    refusals: [],
    summary:
      actions.length === 0 && kept === 0
        ? 'share up: no materialised video/input folder to link back'
        : `share up: link ${actions.length} video/input folder(s) back to the share; ${kept} kept because they hold newer local work`,
  };
}
