// `ytm relink` on the generated fixture: malformed episode ids, the candidates and verdicts for every planted
// fault, the guards (draft outside the roots, capcut_draft a real folder, a taken backup name, a coordination
// lock, a plan gone stale), and an apply that leaves backup, new link, updated info and a log line while the
// draft's own files keep their hashes.
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { planJob } from '../../jobs/engine/plan.js';
import { stampOf } from '../../jobs/engine/stamp.js';
import type { RelinkAction } from '../../jobs/relink/action.js';
import { relinkJob } from '../../jobs/relink/job.js';
import type { RelinkListing } from '../../jobs/relink/listing.js';
import { recordApproval, savePlan } from '../../lib/approvals/store.js';
import { DEFAULT_FAULTS, type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { runCli } from '../helpers/cli.js';
import { contextFor, storedJobPlan } from './support/engine.js';
import { json } from './support/run.js';

const NOW = Date.parse('2026-01-27T03:00:00Z');
let base: string;
let shared: GeneratedWorkspace;
let n = 0;

async function fixture(): Promise<GeneratedWorkspace> {
  n += 1;
  return generateWorkspace({
    dir: path.join(base, `w${n}`),
    now: NOW,
    faults: { ...DEFAULT_FAULTS, relinkDrafts: true },
  });
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'ytm-relink-'));
  shared = await fixture();
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const listing = async (w: GeneratedWorkspace, ep: string) => {
  const r = await runCli(['relink', ep, '--json'], w.env);
  expect(r.exitCode, r.stderr).toBe(0);
  return json<RelinkListing>(r);
};

/** The run dir of a Hot violation's episode, as the fixture planned it. */
function runDirOf(w: GeneratedWorkspace, ep: string): string {
  const v = w.details.hotViolations.find((x) => x.episode === ep && x.run);
  return path.join(w.paths.videoRuns, v?.run as string);
}

function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A coordination lock file as the factory's agents write it (facts §3.5). */
function writeLock(w: GeneratedWorkspace, name: string, lock: object): void {
  writeFileSync(
    path.join(w.paths.workspace, 'logs', 'agent_tasks', 'coordination', 'locks', name),
    JSON.stringify(lock),
  );
}

/** The episode the relinkDrafts fault planted: its sound candidate's name was cut short by the OS. */
async function truncatedCase(w: GeneratedWorkspace) {
  for (const ep of Object.keys(w.details.draftCandidates)) {
    const l = await listing(w, ep);
    const cut = l.candidates.find((c) => c.relation.includes('cut short'));
    if (cut) return { ep, listing: l, cut };
  }
  throw new Error('the fixture planted no truncated draft');
}

describe('episode ids', () => {
  it.each([
    ['CH13'],
    ['13-002'],
    ['CH13_002'],
    ['CH13-0002'],
    ['CH130-002'],
    ['CH00-002'],
    ['CH13-000'],
    ['CH13-002x'],
    ['xCH13-002'],
    ['CH13-'],
    ['CH１３-002'],
    ['CH13 002'],
    ['../CH13-002'],
  ])('%j is a usage error naming what is accepted', async (bad) => {
    const r = await runCli(['relink', bad], shared.env);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('expected an episode id like CH02-043');
    expect(r.stderr).toContain('ytm relink CHxx-NNN');
  });

  it('no episode, or two, is a usage error', async () => {
    for (const args of [['relink'], ['relink', 'CH13-002', 'CH13-003'], ['relink', '-002']]) {
      const r = await runCli(args, shared.env);
      expect(r.exitCode).toBe(64);
      expect(r.stderr).toContain('ytm relink CHxx-NNN');
    }
  });

  it('--run without --draft is a usage error: relink never picks a draft', async () => {
    const r = await runCli(['relink', 'CH01-001', '--run'], shared.env);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('--run needs --draft');
  });

  it('ch1-8 is CH01-008', async () => {
    const r = await runCli(['relink', 'ch1-8', '--json'], shared.env);
    expect(json<RelinkListing>(r).episode).toBe('CH01-008');
  });
});

describe('candidates on the fixture', () => {
  it('every Hot draft violation lists exactly the expected candidates, newest first, with their verdicts', async () => {
    const expected = shared.details.draftCandidates;
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(5);
    for (const [ep, want] of Object.entries(expected)) {
      const l = await listing(shared, ep);
      expect(l.problems.length, ep).toBeGreaterThan(0);
      expect(
        l.candidates.map((c) => ({ path: c.path, ok: c.ok })),
        ep,
      ).toEqual(want.slice(0, 10));
      expect(l.totalCandidates).toBe(want.length);
      for (const c of l.candidates) expect(c.verdict.startsWith(c.ok ? 'ok: ' : 'BROKEN: ')).toBe(true);
    }
  });

  it("names CapCut's (N) copy, the 完成★ rename and the OS-truncated name", async () => {
    const relations = new Set<string>();
    for (const ep of Object.keys(shared.details.draftCandidates)) {
      for (const c of (await listing(shared, ep)).candidates) relations.add(c.relation);
    }
    expect(relations).toContain("CapCut's (N) copy of that name");
    expect(relations).toContain('that name renamed 完成★');
    expect(relations).toContain('that name cut short by the OS');
  });

  it('the audit says why a planted broken draft is broken', async () => {
    const { listing: l } = await truncatedCase(shared);
    const verdicts = l.candidates.filter((c) => !c.ok).map((c) => c.verdict);
    expect(verdicts).toEqual([
      'BROKEN: 1 placeholder ref(s); 1 internal ref(s) missing (materials/video/missing.png); 1 internal ref(s) empty (materials/video/empty.png)',
      'BROKEN: missing draft_meta_info.json; 1 unparseable JSON (draft_info.json)',
    ]);
    expect(l.candidates.find((c) => c.relation.includes('cut short'))?.verdict).toBe(
      'ok: 3 draft files, 2 internal ref(s) present',
    );
  });

  it('a link into the share is explained, never followed', async () => {
    const ep = shared.details.hotViolations.find((v) => v.code === 'HOT_POINTS_TO_SHARE')?.episode as string;
    const l = await listing(shared, ep);
    expect(l.problems.join('\n')).toContain('a Hot draft must be on the Mac');
  });

  it("the doctor's advice for broken Hot drafts names `ytm relink <episode>`", async () => {
    const r = await runCli(['doctor', '--json'], shared.env);
    const findings = json<{ findings: { code: string; advice?: string; examples: string[] }[] }>(r).findings;
    const hot = findings.filter((f) => f.code.startsWith('HOT_'));
    expect(hot.map((f) => f.code).sort()).toEqual([
      'HOT_DRAFT_MISSING',
      'HOT_POINTS_TO_SHARE',
      'HOT_RUN_SYMLINK_BROKEN',
    ]);
    for (const f of hot) {
      const ep = f.examples[0]?.split(':')[0] as string;
      expect(f.advice).toBe(`run \`ytm relink ${ep}\``);
      expect(Object.keys(shared.details.draftCandidates)).toContain(ep);
    }
  });

  it('an episode without a run says so', async () => {
    const l = await listing(shared, 'CH02-202');
    expect(l.run).toBeNull();
    expect(l.problems).toEqual(['CH02-202 has no video run']);
  });
});

describe('guards', () => {
  it('a draft outside the CapCut root and the local drafts root is refused, also through a link inside the root', async () => {
    const w = await fixture();
    const { ep } = await truncatedCase(w);
    const outside = path.join(w.dir, 'elsewhere', `★${ep}-copy`);
    mkdirSync(outside, { recursive: true });
    const sneaky = path.join(w.paths.capcutDraftRoot, `★${ep}-link`);
    symlinkSync(outside, sneaky);
    for (const draft of [outside, sneaky]) {
      const r = await runCli(['relink', ep, '--draft', draft, '--run', '--json'], w.env);
      expect(r.exitCode).toBe(2);
      expect(json<{ plan: { refusals: { code: string }[] } }>(r).plan.refusals.map((x) => x.code)).toEqual([
        'DRAFT_OUTSIDE_ROOT',
      ]);
    }
    const loop = path.join(w.paths.capcutDraftRoot, `★${ep}-loop`);
    symlinkSync(loop, loop);
    const looped = await runCli(['relink', ep, '--draft', loop, '--json'], w.env);
    expect(json<{ plan: { refusals: { code: string }[] } }>(looped).plan.refusals[0]?.code).toBe('DRAFT_UNREADABLE');
    const onShare = path.join(w.paths.share, 'archive', `★${ep}`);
    const r = await runCli(['relink', ep, '--draft', onShare, '--json'], w.env);
    expect(json<{ plan: { refusals: { code: string }[] } }>(r).plan.refusals[0]?.code).toBe('DRAFT_ON_SHARE');
    // The local drafts root is allowed.
    const local = path.join(w.paths.capcutFallbackRoot, `★${ep}-local`);
    mkdirSync(local);
    const ok = await runCli(['relink', ep, '--draft', local, '--json'], w.env);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(json<{ plan: { refusals: unknown[] } }>(ok).plan.refusals).toEqual([]);
  });

  it('capcut_draft as a real folder is refused and left as it is', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const link = path.join(runDirOf(w, ep), 'capcut_draft');
    unlinkSync(link);
    mkdirSync(link);
    writeFileSync(path.join(link, 'keep.txt'), 'mine');
    const r = await runCli(['relink', ep, '--draft', cut.path, '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<{ plan: { refusals: { code: string }[] } }>(r).plan.refusals.map((x) => x.code)).toEqual([
      'LINK_NOT_SYMLINK',
    ]);
    expect(statSync(link).isDirectory()).toBe(true);
    expect(readFileSync(path.join(link, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a coordination lock on the run refuses the plan', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const runId = path.basename(runDirOf(w, ep));
    writeLock(w, 'lock__20260126T105000Z__a1b2c3d4.json', {
      id: 'lock__x',
      created_by: 'agent-7',
      scopes: [`workspaces/video/runs/${ep}_*`],
      note: 'regen',
    });
    const before = readlinkSync(path.join(w.paths.videoRuns, runId, 'capcut_draft'));
    const r = await runCli(['relink', ep, '--draft', cut.path, '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    const refusal = json<{ plan: { refusals: { code: string; message: string }[] } }>(r).plan.refusals[0];
    expect(refusal?.code).toBe('LOCKED');
    expect(refusal?.message).toContain('lock__x');
    expect(readlinkSync(path.join(w.paths.videoRuns, runId, 'capcut_draft'))).toBe(before);
  });

  it('a taken backup name gets a new one at plan time, and is never overwritten at apply time', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const runDir = runDirOf(w, ep);
    const ctx = { ...contextFor(w.env), now: () => new Date(NOW) };
    const taken = path.join(runDir, `capcut_draft.symlink_backup__${stampOf(new Date(NOW))}`);
    symlinkSync('/somewhere/else', taken);
    const planned = await planJob(relinkJob, { episode: ep, draft: cut.path }, ctx);
    const action = planned.plan.actions[0] as RelinkAction;
    expect(action.backup).toBe(`${taken}__2`);
    // Someone takes that name too between plan and apply: the apply fails and changes nothing.
    symlinkSync('/another/one', `${taken}__2`);
    await savePlan(ctx.paths.stateDir, planned.plan, { requestedBy: 'U0REQUESTER', ttlMs: 60_000 });
    await recordApproval(ctx.paths.stateDir, planned.planId, { user: 'U0APPROVER', needed: 1 });
    const before = readlinkSync(path.join(runDir, 'capcut_draft'));
    const infoBefore = readFileSync(path.join(runDir, 'capcut_draft_info.json'), 'utf8');
    const summary = await applyStoredPlan(ctx.paths.stateDir, planned.planId, ctx, lookupJob);
    expect(summary.state).toBe('failed');
    expect(summary.outcomes[0]?.message).toContain('never overwritten');
    expect(readlinkSync(`${taken}__2`)).toBe('/another/one');
    expect(readlinkSync(taken)).toBe('/somewhere/else');
    expect(readlinkSync(path.join(runDir, 'capcut_draft'))).toBe(before);
    expect(readFileSync(path.join(runDir, 'capcut_draft_info.json'), 'utf8')).toBe(infoBefore);
  });

  it('a plan whose link changed before the apply is stale and does nothing', async () => {
    const w = await fixture();
    const { ep, cut, listing: l } = await truncatedCase(w);
    const runDir = runDirOf(w, ep);
    const { planId, ctx } = await storedJobPlan(relinkJob, w.env, { episode: ep, draft: cut.path });
    const other = l.candidates.find((c) => c.path !== cut.path)?.path as string;
    const link = path.join(runDir, 'capcut_draft');
    unlinkSync(link);
    symlinkSync(other, link);
    const summary = await applyStoredPlan(ctx.paths.stateDir, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(summary.staleKeys).toContain('link.target');
    expect(readlinkSync(link)).toBe(other);
    expect(readdirSync(runDir).filter((x) => x.includes('symlink_backup'))).toEqual([]);
  });
});

describe('stale and missing pieces', () => {
  it('a coordination lock taken after planning makes the plan stale', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const link = path.join(runDirOf(w, ep), 'capcut_draft');
    const before = readlinkSync(link);
    const { planId, ctx } = await storedJobPlan(relinkJob, w.env, { episode: ep, draft: cut.path });
    writeLock(w, 'lock__20260127T000000Z__0badf00d.json', {
      id: 'lock__late',
      created_by: 'agent-9',
      scopes: [`workspaces/video/runs/${path.basename(runDirOf(w, ep))}`],
    });
    const summary = await applyStoredPlan(ctx.paths.stateDir, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(summary.staleKeys).toContain('locks');
    expect(readlinkSync(link)).toBe(before);
  });

  it('a run without a capcut_draft link gets a new one and no backup', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const runDir = runDirOf(w, ep);
    unlinkSync(path.join(runDir, 'capcut_draft'));
    const l = await listing(w, ep);
    expect(l.problems).toContain('capcut_draft does not exist');
    const r = await runCli(['relink', ep, '--draft', cut.path, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readlinkSync(path.join(runDir, 'capcut_draft'))).toBe(cut.path);
    expect(readdirSync(runDir).filter((x) => x.includes('symlink_backup'))).toEqual([]);
  });

  it('an unreadable capcut_draft_info.json is refused, not replaced', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const info = path.join(runDirOf(w, ep), 'capcut_draft_info.json');
    writeFileSync(info, '{"draft_name": "torn');
    const r = await runCli(['relink', ep, '--draft', cut.path, '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<{ plan: { refusals: { code: string }[] } }>(r).plan.refusals.map((x) => x.code)).toEqual([
      'INFO_UNREADABLE',
    ]);
    expect(readFileSync(info, 'utf8')).toBe('{"draft_name": "torn');
  });
});

describe('apply', () => {
  it('keeps the old link as a backup, links atomically, updates the info, logs, and never touches the draft', async () => {
    const w = await fixture();
    const { ep, cut } = await truncatedCase(w);
    const runDir = runDirOf(w, ep);
    const link = path.join(runDir, 'capcut_draft');
    const oldTarget = readlinkSync(link);
    const infoPath = path.join(runDir, 'capcut_draft_info.json');
    const infoBefore = JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>;
    const draftBefore = treeHashes(cut.path);
    const r = await runCli(['relink', ep, '--draft', cut.path, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<{ applied: { state: string; outcomes: { details: { backup: string; log: string } }[] } }>(r);
    expect(out.applied.state).toBe('succeeded');
    const { backup, log } = out.applied.outcomes[0]?.details ?? { backup: '', log: '' };
    expect(path.basename(backup)).toMatch(/^capcut_draft\.symlink_backup__\d{8}T\d{6}Z$/);
    expect(readlinkSync(backup)).toBe(oldTarget);
    expect(readlinkSync(link)).toBe(cut.path);
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>;
    expect(info.draft_path).toBe(cut.path);
    expect(info.draft_path_ref).toEqual({
      schema: 'ytm.path_ref.v1',
      root: 'capcut_draft_root',
      rel: path.basename(cut.path),
    });
    for (const key of ['draft_name', 'project_id', 'template_used', 'title', 'srt_file', 'transform']) {
      expect(info[key], key).toEqual(infoBefore[key]);
    }
    expect(path.dirname(log)).toBe(path.join(w.paths.workspace, 'logs', 'ops', 'hot_assets_doctor'));
    expect(path.basename(log)).toMatch(/^relink_applied__\d{8}\.jsonl$/);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      episode: ep,
      run_id: path.basename(runDir),
      old_draft_path: infoBefore.draft_path,
      new_draft_dir: cut.path,
      symlink_backup: backup,
      mode: 'run',
      result: 'ok',
    });
    expect(treeHashes(cut.path)).toEqual(draftBefore);
    expect(readdirSync(runDir).filter((x) => x.startsWith('.tmp__'))).toEqual([]);
    // The wiring is healthy now, and planning it again has nothing to do.
    expect((await listing(w, ep)).problems).toEqual([]);
    const again = await runCli(['relink', ep, '--draft', cut.path, '--json'], w.env);
    expect(json<{ plan: { actions: unknown[] } }>(again).plan.actions).toEqual([]);
  });

  it('a draft in the local drafts root gets a capcut_fallback_root path ref', async () => {
    const w = await fixture();
    const { ep } = await truncatedCase(w);
    const local = path.join(w.paths.capcutFallbackRoot, `★${ep}-ローカル`);
    mkdirSync(local);
    const r = await runCli(['relink', ep, '--draft', `★${ep}-ローカル`, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const info = JSON.parse(readFileSync(path.join(runDirOf(w, ep), 'capcut_draft_info.json'), 'utf8'));
    expect(info.draft_path_ref).toEqual({
      schema: 'ytm.path_ref.v1',
      root: 'capcut_fallback_root',
      rel: `★${ep}-ローカル`,
    });
    expect(readlinkSync(path.join(runDirOf(w, ep), 'capcut_draft'))).toBe(local);
  });
});
