// `ytm runs archive` / `ytm runs restore` on the generated fixture, through the compiled CLI: every protection
// kind gives exactly its decision, the archive writes archive_report.json matching the disk, a restore gives back
// the same paths and hashes, and bad words, existing destinations, locks and stale plans change nothing.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { runsArchiveJob } from '../../jobs/runs/job.js';
import { plantRunProtections, type RunProtections } from '../fixtures/run-protections.js';
import { type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { storedJobPlan } from './support/engine.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { sha256Of } from './support/workspace.js';

interface PlanOut {
  plan: { actions: Record<string, unknown>[]; refusals: { code: string }[]; summary: string };
  applied?: { state: string; report?: string };
}

let w: GeneratedWorkspace;
let prot: RunProtections;
let env: Record<string, string>;

/** path → sha256 (files) or `-> target` (links) under `dir`. */
function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir)) {
    const abs = path.join(dir, f);
    out[f] = lstatSync(abs).isSymbolicLink() ? `-> ${readlinkSync(abs)}` : sha256Of(abs);
  }
  return out;
}

function decisions(out: PlanOut): Record<string, { archive: boolean; reason: string }> {
  const open = out.plan.actions.find((a) => a.op === 'report-open') as { content: Record<string, unknown> } | undefined;
  if (!open) return {};
  const result: Record<string, { archive: boolean; reason: string }> = {};
  for (const m of open.content.pending as { run_id: string; reason: string }[])
    result[m.run_id] = { archive: true, reason: m.reason };
  for (const s of open.content.skipped as { run_id: string; reason: string }[])
    result[s.run_id] = { archive: false, reason: s.reason };
  return result;
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ytm-runs-'));
  rmSync(dir, { recursive: true });
  w = await generateWorkspace({ dir, channels: 3, episodesPerChannel: 8, runsPerEpisode: 2, imagesPerRun: 2 });
  prot = plantRunProtections(w, Date.now());
  env = { PATH: process.env.PATH ?? '', HOME: w.dir, YTM_ENV_FILE: path.join(w.dir, 'no.env'), ...w.env };
}, 60_000);

afterAll(() => rmSync(w.dir, { recursive: true, force: true }));

describe('runs archive: the protection kinds of the fixture', () => {
  it('--all gives exactly the expected moves, skips and reasons', async () => {
    const r = await ytm(['runs', 'archive', '--all', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const got = decisions(json<PlanOut>(r));
    for (const [id, want] of Object.entries(prot.expected)) expect({ id, ...got[id] }).toEqual({ id, ...want });
    const moved = Object.entries(got)
      .filter(([, d]) => d.archive)
      .map(([id]) => id)
      .sort();
    const wantMoved = Object.entries(prot.expected)
      .filter(([, d]) => d.archive)
      .map(([id]) => id)
      .sort();
    expect(moved).toEqual(wantMoved);
    expect(json<PlanOut>(r).plan.summary).toContain('frees nothing');
  });

  it('--channel leaves unscoped runs out; --unscoped-only leaves episodes out', async () => {
    const ch = prot.posted.slice(0, 4);
    const scoped = decisions(json<PlanOut>(await ytm(['runs', 'archive', '--channel', ch, '--json'], env)));
    expect(Object.keys(scoped).every((id) => id.startsWith(`${ch}-`))).toBe(true);
    const unscoped = decisions(json<PlanOut>(await ytm(['runs', 'archive', '--unscoped-only', '--json'], env)));
    expect(Object.keys(unscoped).sort()).toEqual(['192', 'api_123', 'default', 'mystery_run', 'tmp_debug_1']);
  });

  it.each([
    [['runs', 'archive']],
    [['runs', 'archive', '--channel', 'CH2x']],
    [['runs', 'archive', '--channel', 'CH02', '--video', '1234']],
    [['runs', 'archive', '--channel', 'CH02', '--video', 'CH02-043']],
    [['runs', 'archive', '--all', '--unscoped-only']],
    [['runs', 'archive', '--unscoped-only', '--video', '043']],
    [['runs', 'archive', '--channel', 'CH02', '--only-run-id', 'x']],
    [['runs', 'restore']],
    [['runs', 'restore', 'r.json', '--channel', 'CH02']],
    [['runs', 'restore', 'r.json', '--only-run-id', '../etc']],
    [['runs', 'tidy', '--channel', 'CH02']],
  ])('malformed words %j: usage error, nothing planned', async (args) => {
    const before = treeHashes(w.paths.videoRuns);
    const r = await ytm(args, env);
    expect(r.exitCode, r.stderr).toBe(64);
    expect(r.stderr).toMatch(/ytm: /);
    expect(treeHashes(w.paths.videoRuns)).toEqual(before);
  });
});

describe('runs archive --run, then runs restore', () => {
  it('moves exactly the planned runs, writes archive_report.json that matches the disk, and restores the same tree', async () => {
    const before = treeHashes(w.paths.videoRuns);
    const ch = prot.posted.slice(0, 4);
    const r = await ytm(['runs', 'archive', '--channel', ch, '--run', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const open = json<PlanOut>(r).plan.actions.find((a) => a.op === 'report-open') as { report: string };
    const report = JSON.parse(readFileSync(open.report, 'utf8'));
    expect(report.schema).toBe('ytm.video_runs_cleanup_report.v1');
    expect(report.ytm_ops.complete).toBe(true);
    expect(report.pending).toEqual([]);
    const moved = (report.moves as { run_id: string; src: string; dest: string }[]).map((m) => m.run_id).sort();
    expect(moved).toEqual([`${prot.posted}_regen_old_a`, `${prot.posted}_regen_old_b`]);
    for (const m of report.moves) {
      expect(existsSync(m.src)).toBe(false);
      expect(lstatSync(m.dest).isDirectory()).toBe(true);
      expect(m.dest).toBe(path.join(path.dirname(open.report), ch, 'runs', m.run_id));
    }
    // A second archive finds nothing more to move.
    const again = json<PlanOut>(await ytm(['runs', 'archive', '--channel', ch, '--json'], env));
    expect(again.plan.actions.filter((a) => a.op === 'move')).toEqual([]);

    // Restore one run only, then the rest: the tree is back, byte for byte.
    const only = `${prot.posted}_regen_old_a`;
    const part = await ytm(['runs', 'restore', open.report, '--only-run-id', only, '--run', '--json'], env);
    expect(part.exitCode, part.stderr).toBe(0);
    expect(existsSync(path.join(w.paths.videoRuns, only))).toBe(true);
    expect(existsSync(path.join(w.paths.videoRuns, `${prot.posted}_regen_old_b`))).toBe(false);
    // The restored run is back: restoring everything now refuses (its destination exists) and moves nothing.
    const refused = await ytm(['runs', 'restore', open.report, '--run', '--json'], env);
    expect(refused.exitCode).toBe(2);
    expect(json<PlanOut>(refused).plan.refusals.map((x) => x.code)).toEqual(['DESTINATION_EXISTS']);
    expect(existsSync(path.join(w.paths.videoRuns, `${prot.posted}_regen_old_b`))).toBe(false);
    const rest = await ytm(
      ['runs', 'restore', open.report, '--only-run-id', `${prot.posted}_regen_old_b`, '--run', '--json'],
      env,
    );
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(treeHashes(w.paths.videoRuns)).toEqual(before);
    const restoreReports = filesUnder(path.dirname(open.report)).filter((f) => f.startsWith('restore_report_'));
    expect(restoreReports.length).toBe(2);
  });

  it('a coordination lock on a restore destination refuses the restore', async () => {
    const ch = prot.posted.slice(0, 4);
    const r = await ytm(['runs', 'archive', '--channel', ch, '--run', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const open = json<PlanOut>(r).plan.actions.find((a) => a.op === 'report-open') as { report: string };
    const lockFile = path.join(
      w.paths.workspace,
      'logs',
      'agent_tasks',
      'coordination',
      'locks',
      'lock__20261201T000000Z__deadbeef.json',
    );
    writeFileSync(
      lockFile,
      JSON.stringify({
        id: 'lock__20261201T000000Z__deadbeef',
        created_by: 'dd',
        scopes: [`workspaces/video/runs/${prot.posted}_regen_old_a`],
      }),
    );
    try {
      const res = await ytm(['runs', 'restore', open.report, '--run', '--json'], env);
      expect(res.exitCode).toBe(2);
      expect(json<PlanOut>(res).plan.refusals.map((x) => x.code)).toEqual(['LOCKED']);
      expect(existsSync(path.join(w.paths.videoRuns, `${prot.posted}_regen_old_a`))).toBe(false);
    } finally {
      rmSync(lockFile);
    }
    expect((await ytm(['runs', 'restore', open.report, '--run', '--json'], env)).exitCode).toBe(0);
  });

  it('a report outside video/_archive is refused', async () => {
    const outside = path.join(w.dir, 'archive_report.json');
    writeFileSync(outside, JSON.stringify({ moves: [] }));
    const r = await ytm(['runs', 'restore', outside, '--json'], env);
    expect(r.exitCode).toBe(2);
    expect(json<PlanOut>(r).plan.refusals.map((x) => x.code)).toEqual(['REPORT_OUTSIDE_ARCHIVE']);
  });
});

describe('runs archive: a stale plan moves nothing', () => {
  it('an episode that becomes unposted between plan and apply', async () => {
    const ch = prot.posted.slice(0, 4);
    const input = { channel: ch, video: null, all: false, unscopedOnly: false };
    const { planId, ctx } = await storedJobPlan(runsArchiveJob, env, input);
    const csv = path.join(w.paths.planningChannels, `${ch}.csv`);
    const text = readFileSync(csv, 'utf8');
    const before = treeHashes(w.paths.videoRuns);
    // Unpost every episode of the channel the way unlock does: 進捗 no longer says posted.
    writeFileSync(csv, text.replaceAll('投稿済み', 'script_completed').replaceAll('公開済み', 'script_completed'));
    const status = path.join(w.paths.scripts, ch, prot.posted.slice(5), 'status.json');
    const statusText = readFileSync(status, 'utf8');
    const st = JSON.parse(statusText);
    st.metadata = { ...st.metadata, published_lock: false };
    writeFileSync(status, JSON.stringify(st));
    try {
      const summary = await applyStoredPlan(ctx.paths.stateDir, planId, ctx, lookupJob);
      expect(summary.state).toBe('stale');
      expect(summary.staleKeys?.some((k) => k.startsWith(`episodes.${prot.posted}`))).toBe(true);
      expect(treeHashes(w.paths.videoRuns)).toEqual(before);
    } finally {
      writeFileSync(csv, text);
      writeFileSync(status, statusText);
    }
  });
});

describe('runs archive: an existing destination', () => {
  it('a move whose destination appeared after planning fails and leaves the source', async () => {
    const runId = `${prot.posted}_regen_extra`;
    const src = path.join(w.paths.videoRuns, runId);
    mkdirSync(path.join(src, 'images'), { recursive: true });
    writeFileSync(path.join(src, 'image_cues.json'), '{}');
    const old = new Date(Date.now() - 20 * 86_400_000);
    const { utimesSync } = await import('node:fs');
    for (const p of [path.join(src, 'image_cues.json'), path.join(src, 'images'), src]) utimesSync(p, old, old);
    const ch = prot.posted.slice(0, 4);
    const { planId, ctx } = await storedJobPlan(runsArchiveJob, env, {
      channel: ch,
      video: null,
      all: false,
      unscopedOnly: false,
    });
    const { getPlan } = await import('../../lib/approvals/store.js');
    const move = (await getPlan(ctx.paths.stateDir, planId))?.plan.actions.find(
      (a) => (a as { key?: string }).key === runId,
    ) as { dest: string };
    mkdirSync(move.dest, { recursive: true });
    writeFileSync(path.join(move.dest, 'someone_elses.txt'), 'x');
    // The apply runs in a later second than the plan: its re-check plans a new stamp folder and cannot see the
    // destination, so the move itself must refuse it (in the same second the re-check would refuse: stale).
    const later = { ...ctx, now: () => new Date(ctx.now().getTime() + 2000) };
    const summary = await applyStoredPlan(ctx.paths.stateDir, planId, later, lookupJob);
    expect(summary.state, summary.reason).toBe('partial');
    const outcome = summary.outcomes.find((o) => o.label.includes(runId));
    expect(outcome?.status).toBe('failed');
    expect(outcome?.message).toContain('already exists');
    expect(existsSync(path.join(src, 'image_cues.json'))).toBe(true);
    expect(readFileSync(path.join(move.dest, 'someone_elses.txt'), 'utf8')).toBe('x');
    const report = JSON.parse(
      readFileSync(path.join(path.dirname(path.dirname(path.dirname(move.dest))), 'archive_report.json'), 'utf8'),
    );
    expect(report.pending.map((m: { run_id: string }) => m.run_id)).toContain(runId);
    expect(report.moves.map((m: { run_id: string }) => m.run_id)).not.toContain(runId);
  });
});
