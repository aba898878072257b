import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../jobs/doctor/report.js';
import { DOCUMENTED_SEVERITY } from '../fixtures/expected.js';
import { generateWorkspace } from '../fixtures/workspace.js';
import { countsByCode, nonZero, runCli } from '../helpers/cli.js';

// `ytm doctor` on generated workspaces: every planted fault is found with exactly the planted count, and a
// clean workspace gives nothing at all. The CLI runs as a real child process, as a user would run it.

const dirs: string[] = [];
async function workspace(opts: Parameters<typeof generateWorkspace>[0] extends infer O ? Omit<O, 'dir'> : never) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-doctor-'));
  dirs.push(dir);
  return generateWorkspace({ dir, ...opts });
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function doctorJson(env: Record<string, string>) {
  const run = await runCli(['doctor', '--json'], env);
  return { run, report: JSON.parse(run.stdout) as DoctorReport };
}

describe('ytm doctor on a generated workspace', () => {
  it('finds every planted fault with exactly the planted count (share up)', async () => {
    const ws = await workspace({ faults: true, shareState: 'up' });
    const { run, report } = await doctorJson(ws.env);
    const expected = nonZero(ws.expected);
    // The fixture plants every code the doctor can find on a healthy share, except disk and share states.
    expect(Object.keys(expected).sort()).toEqual(
      [
        'BROKEN_SYMLINK',
        'HOT_DRAFT_MISSING',
        'HOT_POINTS_TO_SHARE',
        'HOT_RUN_SYMLINK_BROKEN',
        'MIRROR_FAILED',
        'MIRROR_STALE',
        'OUTBOX_PENDING',
        'PLANNING_FALLBACK',
        'UNREADABLE_INPUT',
        'VAULT_ABSOLUTE_SYMLINK',
        'VAULT_SENTINEL_MISSING',
        'VIDEO_RUN_MISSING',
      ].sort(),
    );
    expect(countsByCode(report)).toEqual(expected);
    expect(report.status).toBe('crit');
    expect(run.exitCode).toBe(2);
    expect(report.share.state).toBe('up');
  });

  it('counts Hot episodes, not references: a link and a draft_path of one episode are one, both in its example', async () => {
    const ws = await workspace({ faults: { hotPointsToShare: true }, shareState: 'up' });
    const { run, report } = await doctorJson(ws.env);
    const refs = ws.details.hotViolations.filter((v) => v.code === 'HOT_POINTS_TO_SHARE');
    const episodes = [...new Set(refs.map((v) => v.episode))];
    const twice = episodes.filter((e) => refs.filter((v) => v.episode === e).length === 2);
    expect([refs.length, episodes.length, twice.length]).toEqual([3, 2, 1]);
    expect(countsByCode(report)).toEqual({ HOT_POINTS_TO_SHARE: 2 });
    const f = report.findings.find((x) => x.code === 'HOT_POINTS_TO_SHARE');
    expect(f?.examples).toHaveLength(2);
    const example = f?.examples.find((x) => x.startsWith(`${twice[0]}: `)) ?? '';
    expect(example).toMatch(/\/capcut_draft -> .+; draft \//);
    expect(run.exitCode).toBe(2);
  });

  it('reports an absent vault root as VAULT_MISSING, a warning (exit 1), naming the vault', async () => {
    const ws = await workspace({ faults: { vaultMissing: true }, shareState: 'up' });
    expect(existsSync(ws.paths.vault)).toBe(false);
    const { run, report } = await doctorJson(ws.env);
    expect(report.share.state).toBe('up');
    expect(report.findings.map((f) => [f.code, f.severity, f.count, f.examples])).toEqual([
      ['VAULT_MISSING', 'warn', 1, [ws.paths.vault]],
    ]);
    expect(report.status).toBe('warn');
    expect(run.exitCode).toBe(1);
  });

  it('reports nothing on a clean workspace and exits 0', async () => {
    const ws = await workspace({ faults: false, shareState: 'up' });
    const { run, report } = await doctorJson(ws.env);
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('ok');
    expect(run.exitCode).toBe(0);
    expect(report.counts.episodes).toBeGreaterThan(0);
    expect(report.counts.hot).toBeGreaterThan(0);
    expect(report.counts.posted).toBeGreaterThan(0);
  });

  it('treats a stub share as down: SHARE_STUB, links into the share broken, vault not checked', async () => {
    const ws = await workspace({ faults: true, shareState: 'stub' });
    const { run, report } = await doctorJson(ws.env);
    expect(report.share.state).toBe('stub');
    expect(countsByCode(report)).toEqual(nonZero(ws.expected));
    expect(countsByCode(report).SHARE_STUB).toBe(1);
    expect(report.findings.some((f) => f.code.startsWith('VAULT_'))).toBe(false);
    expect(run.exitCode).toBe(2);
  });

  it('reports a plain folder as unmounted when a mountpoint is required', async () => {
    const ws = await workspace({ faults: false, shareState: 'unmounted' });
    const { run, report } = await doctorJson(ws.env);
    expect(report.share.state).toBe('unmounted');
    expect(countsByCode(report)).toEqual(nonZero(ws.expected));
    expect(run.exitCode).toBe(1);
  });

  it('gives each finding the documented severity, a message and every item in the JSON, and writes the report file', async () => {
    const ws = await workspace({ faults: true, shareState: 'up', episodesPerChannel: 14 });
    const { report } = await doctorJson(ws.env);
    expect(report.schema).toBe('ytm.ops.doctor.v1');
    expect(typeof report.disk.freeBytes).toBe('number');
    for (const f of report.findings) {
      expect(f.severity, f.code).toBe(DOCUMENTED_SEVERITY[f.code]);
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.examples.length).toBeGreaterThan(0);
      expect(f.count).toBeGreaterThanOrEqual(f.examples.length);
    }
    const broken = report.findings.find((f) => f.code === 'BROKEN_SYMLINK');
    expect(Object.values(broken?.breakdown ?? {}).reduce((a, b) => a + b, 0)).toBe(broken?.count);
    // Every broken link is listed in the JSON report, not only the first five.
    expect(broken?.count).toBeGreaterThan(5);
    expect(broken?.examples).toHaveLength(broken?.count ?? -1);
    expect(report.reportPath).toMatch(/logs\/ops\/doctor\/doctor__\d{8}T\d{6}Z\.json$/);
    const saved = JSON.parse(await readFile(report.reportPath as string, 'utf8')) as DoctorReport;
    expect(saved.findings).toEqual(report.findings);
  });

  it('prints a readable report that names each problem, with the same exit code', async () => {
    const ws = await workspace({ faults: true, shareState: 'up' });
    const run = await runCli(['doctor'], ws.env);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/^ytm doctor: CRITICAL/);
    for (const code of Object.keys(nonZero(ws.expected))) expect(run.stdout).toContain(code);
    expect(run.stdout).toContain('report: ');
  });

  it('text shows a few items of each area (video/runs too) and says the report lists them all', async () => {
    const ws = await workspace({ faults: true, shareState: 'up', episodesPerChannel: 14 });
    const run = await runCli(['doctor'], ws.env);
    const block = run.stdout.split('\n\n').find((b) => b.includes('BROKEN_SYMLINK')) ?? '';
    const shown = block.split('\n').filter((l) => l.trim().startsWith('- '));
    expect(shown).toHaveLength(5);
    expect(shown.some((l) => l.includes('video/runs/'))).toBe(true);
    expect(shown.some((l) => l.includes('video/input/'))).toBe(true);
    const report = /report: (\S+)/.exec(run.stdout)?.[1] as string;
    expect(block).toMatch(/…and \d+ more, all listed in /);
    expect(block).toContain(`more, all listed in ${report}`);
  });
});
