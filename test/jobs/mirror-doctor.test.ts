// The doctor's view of the mirror (jobs/doctor/mirror.ts) on report files in both formats: the predecessor's
// (no outcome, no counts) and ours (outcome, counts). Runs decide MIRROR_FAILED / MIRROR_STALE and
// lastRunAt/lastSuccessAt/lastResult; a skip is neither a failure nor a success; the newest dry run with counts
// is the drift.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMirror } from '../../jobs/doctor/mirror.js';

let ops: string;
beforeEach(() => {
  ops = mkdtempSync(path.join(tmpdir(), 'ytm-mirror-doctor-'));
  mkdirSync(path.join(ops, 'workspaces_mirror'));
});
afterEach(() => rmSync(ops, { recursive: true, force: true }));

const NOW = Date.parse('2026-12-02T12:00:00Z');
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function report(name: string, doc: Record<string, unknown>): void {
  writeFileSync(path.join(ops, 'workspaces_mirror', `workspaces_mirror__${name}.json`), JSON.stringify(doc));
}

const counts = { created: 3, updated: 2, deleted: 1, bytes: 4096 };

describe('checkMirror', () => {
  it("reads the predecessor's reports: returncode decides, dry runs never count", async () => {
    report('a', { run: true, generated_at: at(20), result: { returncode: 0 } });
    report('b', { run: false, generated_at: at(1), result: { returncode: 0, steps: [] } });
    const m = await checkMirror(ops, 30, NOW);
    expect(m.findings).toEqual([]);
    const iso = new Date(NOW - 20 * 60_000).toISOString();
    expect(m.mirror).toEqual({ lastRunAt: iso, lastSuccessAt: iso, lastResult: 'ok', drift: null });
  });

  it('a failed last run is MIRROR_FAILED; a later skip hides neither it nor the stale success', async () => {
    report('a', { run: true, generated_at: at(90), outcome: 'ok', counts, result: { returncode: 0 } });
    report('b', { run: true, generated_at: at(50), outcome: 'failed', counts, result: { returncode: 23 } });
    report('c', { run: true, generated_at: at(5), outcome: 'skipped', counts, result: { returncode: 0 } });
    report('d', { run: false, generated_at: at(4), outcome: 'skipped', counts, result: { returncode: 0 } });
    report('e', { run: false, generated_at: at(40), outcome: 'ok', counts, result: { returncode: 0 } });
    const m = await checkMirror(ops, 30, NOW);
    expect(m.findings.map((f) => f.code).sort()).toEqual(['MIRROR_FAILED', 'MIRROR_STALE']);
    expect(m.findings.find((f) => f.code === 'MIRROR_FAILED')?.message).toContain('rsync exit 23');
    expect(m.mirror.lastResult).toBe('skipped');
    expect(m.mirror.lastSuccessAt).toBe(new Date(NOW - 90 * 60_000).toISOString());
    expect(m.mirror.drift).toEqual({ ...counts, measuredAt: new Date(NOW - 40 * 60_000).toISOString() });
  });

  it('a run stopped at the delete limit is MIRROR_FAILED too; no reports at all is MIRROR_STALE', async () => {
    expect((await checkMirror(ops, 30, NOW)).findings.map((f) => f.code)).toEqual(['MIRROR_STALE']);
    report('a', { run: true, generated_at: at(1), outcome: 'over-limit', counts, result: { returncode: 25 } });
    const m = await checkMirror(ops, 30, NOW);
    expect(m.findings.find((f) => f.code === 'MIRROR_FAILED')?.message).toContain('delete limit');
    expect(m.mirror.lastResult).toBe('over-limit');
  });
});
