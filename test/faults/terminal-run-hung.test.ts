// A terminal `ytm store … --run` against a destination that stops answering: the share I/O runs in job children
// under YTM_APPLY_TIMEOUT_MIN, so the terminal's own process returns with a clear error (exit 1) instead of
// hanging in the kernel with the share. The destination folder is a stalling FUSE mount inside a healthy share.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { journalDir } from '../../jobs/engine/journal.js';
import { getPlan } from '../../lib/approvals/store.js';
import { ytm } from '../jobs/support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of } from '../jobs/support/workspace.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from './stall-mount.js';

const WAV = 'audio/final/CH02/043/CH02-043.wav';
const noFuse = stallFsUnavailableReason();

let w: MiniWorkspace | undefined;
afterEach(async () => {
  await closeAllStallingMounts();
  if (w) rmSync(w.dir, { recursive: true, force: true });
  w = undefined;
});
afterAll(() => closeAllStallingMounts());

/** The workspace with `uploads/<ns>/audio_final` (where the WAV goes) on a stalling mount; 30 s run limit (planning must get through on a loaded machine). */
async function hangingDestination() {
  w = miniWorkspace({ prefix: 'ytm-run-hung-' });
  const destDir = path.join(w.base, 'audio_final');
  mkdirSync(destDir);
  const mount = await mountStallingFs(destDir, { stalled: false, maxSeconds: 120 });
  return { w, mount, env: { ...w.env, YTM_APPLY_TIMEOUT_MIN: '0.5' } };
}

describe.skipIf(noFuse !== null)(`terminal --run on a share that stops answering (${noFuse ?? 'root + FUSE'})`, () => {
  it('hung while applying: the apply child is stopped at the limit and the terminal says why (exit 1)', async () => {
    const { w, mount, env } = await hangingDestination();
    // The stall starts when the apply child writes its first journal line, i.e. after planning went through.
    await mount.stallWhenExists(journalDir(w.state));
    const r = await ytm(['store', WAV, '--run'], env, { timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /store: applying plan [0-9a-f]{10} did not finish within 30 s \(YTM_APPLY_TIMEOUT_MIN\) and was stopped.*: the share, or a destination on it, is not answering/,
    );
    expect(existsSync(journalDir(w.state))).toBe(true);
    const planId = /plan ([0-9a-f]{10})/.exec(r.stderr)?.[1] as string;
    const full = readdirSync(journalDir(w.state))[0]?.replace(/\.jsonl$/, '') ?? '';
    expect(full.startsWith(planId)).toBe(true);
    // A child stuck in the kernel even after SIGKILL is left behind and its plan stays `running` (recovery takes
    // it once the process is gone); a child that died is judged by recovery at once. Either way, said as it is.
    const stuck = r.stderr.includes('stuck in the kernel and was left behind');
    expect((await getPlan(w.state, full))?.state).toBe(stuck ? 'running' : 'interrupted');
    expect(r.stderr).toContain(`plan state: ${stuck ? 'running' : 'interrupted'}`);
    expect(sha256Of(path.join(w.ws, WAV))).toMatch(/^[0-9a-f]{64}$/); // the source is untouched
  }, 120_000);

  it('hung while planning: the planning child is stopped at the limit, nothing is approved (exit 1)', async () => {
    const { w, mount, env } = await hangingDestination();
    await mount.stall();
    const r = await ytm(['store', WAV, '--run', '--json'], env, { timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { error: string; message: string };
    expect(out.error).toBe('timeout');
    expect(out.message).toMatch(
      /^store: planning did not finish within 30 s \(YTM_APPLY_TIMEOUT_MIN\) and was stopped.*: the share, or a destination on it, is not answering$/,
    );
    expect(existsSync(journalDir(w.state))).toBe(false);
  }, 120_000);
});
