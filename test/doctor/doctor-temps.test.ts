// STALE_TEMP_FILES: temp files of interrupted copies whose writer is gone, in the share and in the outbox,
// reported with their size and age; a temp file a live process is still writing is not reported.
import { utimesSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../jobs/doctor/report.js';
import { deadPid } from '../helpers/pids.js';
import { json, ytm } from '../jobs/support/run.js';
import { type MiniWorkspace, miniWorkspace, writeFile } from '../jobs/support/workspace.js';

let w: MiniWorkspace | undefined;
afterEach(async () => {
  if (w) await rm(w.dir, { recursive: true, force: true });
  w = undefined;
});

function plant(p: string, bytes: number, ageMs: number): void {
  writeFile(p, Buffer.alloc(bytes));
  const t = new Date(Date.now() - ageMs);
  utimesSync(p, t, t);
}

describe('doctor: stale temp files', () => {
  it('counts temps whose writer is gone in the share and the outbox, with sizes and ages', async () => {
    w = miniWorkspace({ prefix: 'ytm-doctor-temps-' });
    const dead = await deadPid();
    const dir = path.join(w.base, 'audio_final', 'CH02', '043');
    plant(path.join(dir, `.tmp__CH02-043.wav__${dead}__0a0b0c0d`), 3 * 1024 * 1024, 3 * 3600_000);
    plant(path.join(dir, `.tmp__CH02-043.srt__${process.ppid}__0a0b0c0d`), 1000, 3 * 3600_000); // live writer
    plant(path.join(w.outboxBase, 'audio_final', `.tmp__x.wav__${dead}__ffff0000`), 1024 * 1024, 10 * 60_000);
    writeFileSync(path.join(dir, 'CH02-043.wav'), 'a finished file is not a temp file');
    const r = await ytm(['doctor', '--json'], w.env);
    const report = json<DoctorReport>(r);
    const f = report.findings.find((x) => x.code === 'STALE_TEMP_FILES');
    expect(f, JSON.stringify(report.findings)).toMatchObject({
      severity: 'warn',
      count: 2,
      breakdown: { share: 1, outbox: 1 },
    });
    expect(f?.message).toContain('4.0 MiB in total');
    expect(f?.examples).toEqual([
      `${path.join(dir, `.tmp__CH02-043.wav__${dead}__0a0b0c0d`)} (3.0 MiB, 3.0 h old)`,
      `${path.join(w.outboxBase, 'audio_final', `.tmp__x.wav__${dead}__ffff0000`)} (1.0 MiB, 10 min old)`,
    ]);
  });
});
