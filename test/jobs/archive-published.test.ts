// `ytm archive published` on the generated fixture, through the compiled CLI: only posted, unfrozen episodes
// are touched; deletes never follow links; locks, stale plans, bad words and the export retention.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { archivePublishedJob } from '../../jobs/archive/job.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { storedJobPlan } from './support/engine.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { sha256Of } from './support/workspace.js';

interface PlanOut {
  plan: { actions: Record<string, unknown>[]; refusals: { code: string }[]; summary: string; warnings: string[] };
  applied?: { state: string };
}

let w: GeneratedWorkspace;
let env: Record<string, string>;

function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir)) {
    const abs = path.join(dir, f);
    out[f] = lstatSync(abs).isSymbolicLink() ? `-> ${readlinkSync(abs)}` : sha256Of(abs);
  }
  return out;
}

const touchable = (id: string) => {
  const e = w.details.episodes.find((x) => x.id === id);
  return !!e && !e.hot && !e.frozen && (e.postedCsv || e.publishedLock);
};
const changes = (out: PlanOut) =>
  out.plan.actions.filter((a) => a.op === 'move' || a.op === 'delete') as {
    op: string;
    key: string;
    src: string;
    label: string;
  }[];
const reportContent = (out: PlanOut) =>
  (out.plan.actions.find((a) => a.op === 'report-open') as { content: Record<string, unknown> } | undefined)?.content;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ytm-archive-'));
  rmSync(dir, { recursive: true });
  w = await generateWorkspace({ dir, channels: 2, episodesPerChannel: 10, runsPerEpisode: 2, imagesPerRun: 2 });
  env = { PATH: process.env.PATH ?? '', HOME: w.dir, YTM_ENV_FILE: path.join(w.dir, 'no.env'), ...w.env };
}, 60_000);

afterAll(() => rmSync(w.dir, { recursive: true, force: true }));

describe('archive published: who is touched', () => {
  it('plans only posted, unfrozen episodes; unposted and frozen ones are listed as left alone', async () => {
    for (const ch of ['CH01', 'CH02']) {
      const r = await ytm(
        [
          'archive',
          'published',
          '--channel',
          ch,
          '--video-input',
          '--audio',
          '--capcut-drafts',
          '--thumbnails',
          '--video-runs',
          '--json',
        ],
        env,
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const out = json<PlanOut>(r);
      expect(changes(out).length).toBeGreaterThan(0);
      for (const c of changes(out)) expect(touchable(c.label.split(' ')[0] as string), c.label).toBe(true);
      const skipped = reportContent(out)?.skipped as { channel: string; video: string; reason: string }[];
      const left = skipped.filter((s) => s.reason === 'unposted' || s.reason === 'frozen');
      expect(left.length).toBeGreaterThan(0);
      for (const s of left) expect(touchable(`${s.channel}-${s.video}`)).toBe(false);
      expect(out.plan.summary).toContain('frees nothing');
    }
  });

  it('--delete --run removes audio and drafts of posted episodes only, links as links; the rest is byte for byte the same', async () => {
    const keep = Object.fromEntries(
      w.details.episodes
        .filter((e) => !touchable(e.id) && e.id.startsWith('CH01-'))
        .map((e) => [e.id, treeHashes(path.join(w.paths.audioFinal, 'CH01', e.id.slice(5)))]),
    );
    const inputDir = filesUnder(w.paths.videoInput).find(
      (f) =>
        f.startsWith('CH01') &&
        touchable(path.basename(f).slice(0, 8)) &&
        lstatSync(path.join(w.paths.videoInput, f)).isSymbolicLink(),
    );
    const linkTarget = inputDir ? readlinkSync(path.join(w.paths.videoInput, inputDir)) : null;
    const r = await ytm(
      ['archive', 'published', '--channel', 'CH01', '--audio', '--video-input', '--delete', '--run', '--yes', '--json'],
      env,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<PlanOut>(r);
    for (const c of changes(out)) {
      expect(c.op).toBe('delete');
      expect(existsSync(c.src)).toBe(false);
    }
    for (const [id, before] of Object.entries(keep))
      expect(treeHashes(path.join(w.paths.audioFinal, 'CH01', id.slice(5)))).toEqual(before);
    if (linkTarget) expect(existsSync(linkTarget)).toBe(true); // the link went, not what it pointed at
    const content = reportContent(out) as { items: { executed: boolean }[] };
    const file = (out.plan.actions.find((a) => a.op === 'report-open') as { report: string }).report;
    expect(path.dirname(file)).toBe(path.join(w.paths.workspace, 'logs', 'regression', 'archive_published_episodes'));
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk.schema).toBe('ytm.ops.archive_published_episodes_report.v2');
    expect(onDisk.ytm_ops.complete).toBe(true);
    expect(onDisk.items.length).toBe(content.items.length);
    expect(onDisk.items.every((i: { executed: boolean }) => i.executed)).toBe(true);
  });

  it('a coordination lock on a target skips it with the lock id; nothing under it moves', async () => {
    const ep = w.details.episodes.find(
      (e) =>
        touchable(e.id) && e.id.startsWith('CH02-') && existsSync(path.join(w.paths.audioFinal, 'CH02', e.id.slice(5))),
    );
    if (!ep) throw new Error('fixture has no posted CH02 episode with audio');
    const lockId = 'lock__20261202T000000Z__0badf00d';
    const lockFile = path.join(w.paths.workspace, 'logs', 'agent_tasks', 'coordination', 'locks', `${lockId}.json`);
    writeFileSync(
      lockFile,
      JSON.stringify({ id: lockId, created_by: 'dd', scopes: [`workspaces/audio/final/CH02/${ep.id.slice(5)}`] }),
    );
    const audio = path.join(w.paths.audioFinal, 'CH02', ep.id.slice(5));
    const before = treeHashes(audio);
    try {
      const r = await ytm(['archive', 'published', '--channel', 'CH02', '--audio', '--run', '--json'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      const skipped = reportContent(json<PlanOut>(r))?.skipped as { src: string; reason: string; lock_id?: string }[];
      expect(skipped.find((s) => s.src === audio)).toMatchObject({ reason: 'blocked_by_lock', lock_id: lockId });
      expect(treeHashes(audio)).toEqual(before);
    } finally {
      rmSync(lockFile);
    }
  });

  it('an episode that becomes unposted between plan and apply: stale, nothing moved', async () => {
    const ep = w.details.episodes.find(
      (e) => touchable(e.id) && e.id.startsWith('CH02-') && e.postedCsv && !e.statusMalformed,
    );
    if (!ep) throw new Error('fixture has no CSV-posted CH02 episode');
    const input = {
      channel: 'CH02',
      videos: [ep.id.slice(5)],
      domains: ['thumbnails', 'video_runs'] as ('thumbnails' | 'video_runs')[],
      delete: false,
    };
    const { planId, ctx } = await storedJobPlan(archivePublishedJob, env, input);
    const csv = path.join(w.paths.planningChannels, 'CH02.csv');
    const text = readFileSync(csv, 'utf8');
    const before = {
      runs: treeHashes(w.paths.videoRuns),
      thumbs: treeHashes(path.join(w.paths.workspace, 'thumbnails')),
    };
    const lines = text
      .split('\n')
      .map((l) => (l.includes(`,${ep.id},`) ? l.replace(/投稿済み|公開済み/g, 'capcut_draft: completed') : l));
    writeFileSync(csv, lines.join('\n'));
    // Unlocked the way publish_lock_cli unlock does it: 進捗 no longer posted, published_lock false.
    const status = path.join(w.paths.scripts, 'CH02', ep.id.slice(5), 'status.json');
    const statusText = readFileSync(status, 'utf8');
    const st = JSON.parse(statusText);
    st.metadata = { ...st.metadata, published_lock: false };
    writeFileSync(status, JSON.stringify(st));
    try {
      const summary = await applyStoredPlan(ctx.paths.stateDir, planId, ctx, lookupJob);
      expect(summary.state).toBe('stale');
      expect(summary.staleKeys).toContain(`episodes.${ep.id}.posted`);
      expect({
        runs: treeHashes(w.paths.videoRuns),
        thumbs: treeHashes(path.join(w.paths.workspace, 'thumbnails')),
      }).toEqual(before);
    } finally {
      writeFileSync(csv, text);
      writeFileSync(status, statusText);
    }
  });

  it.each([
    [['archive', 'published']],
    [['archive', 'publishd', '--channel', 'CH01']],
    [['archive', 'published', '--channel', 'CH1x']],
    [['archive', 'published', '--channel', 'CH01', '--video', '12a']],
    [['archive', 'published', '--channel', 'CH01', '--video', '1000']],
    [['archive', 'published', '--channel', 'CH01', '--video', 'CH01-001']],
    [['archive', 'published', '--channel', 'CH01', '--audios']],
  ])('malformed words %j: usage error, nothing planned', async (args) => {
    const r = await ytm(args, env);
    expect(r.exitCode, r.stderr).toBe(64);
  });
});

describe('archive published --exports: the retention', () => {
  it('only exports older than YTM_EXPORT_RETENTION_HOURS, of posted episodes', async () => {
    const ep = w.details.episodes.find((e) => touchable(e.id) && e.id.startsWith('CH02-'));
    const hot = w.details.episodes.find((e) => e.hot && e.id.startsWith('CH02-'));
    if (!ep || !hot) throw new Error('fixture lacks episodes');
    const dir = (id: string) => path.join(w.paths.share, 'capcut_exports', 'CH02', id.slice(5));
    const old = new Date(Date.now() - 48 * 3_600_000);
    for (const [id, name, t] of [
      [ep.id, 'old.mp4', old],
      [ep.id, 'new.mp4', new Date()],
      [hot.id, 'old.mp4', old],
    ] as const) {
      mkdirSync(dir(id), { recursive: true });
      writeFileSync(path.join(dir(id), name), `mp4 ${id} ${name}`);
      utimesSync(path.join(dir(id), name), t, t);
    }
    const r = await ytm(['archive', 'published', '--channel', 'CH02', '--exports', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(changes(json<PlanOut>(r)).map((c) => c.src)).toEqual([path.join(dir(ep.id), 'old.mp4')]);
    const longer = await ytm(['archive', 'published', '--channel', 'CH02', '--exports', '--json'], {
      ...env,
      YTM_EXPORT_RETENTION_HOURS: '72',
    });
    expect(changes(json<PlanOut>(longer))).toEqual([]);
    const bad = await ytm(['archive', 'published', '--channel', 'CH02', '--exports'], {
      ...env,
      YTM_EXPORT_RETENTION_HOURS: '-1',
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('YTM_EXPORT_RETENTION_HOURS');
  });
});
