// SIGKILL at random points while the real `ytm` child stores many files, then run again. After every kill:
// no file under a final name is partial, and every source is either untouched or (heavy items) a link to a
// verified copy; nothing is in neither place. After the rerun: every file is there with an equal hash.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { listPlans } from '../../lib/approvals/store.js';
import { mulberry32 } from '../fixtures/rng.js';
import { filesUnder, isTemp } from '../jobs/support/files.js';
import { YTM_ENTRY, ytm } from '../jobs/support/run.js';
import { miniWorkspace, sha256Of, writeFile } from '../jobs/support/workspace.js';

const MiB = 1024 * 1024;
const TRIALS = 15;

/**
 * Start `ytm … --events`, wait until the apply phase begins (the `recheck` event), then SIGKILL its whole
 * process group after `delayMs`. Resolves when the child is gone; `killed` is false when it finished first.
 */
function runAndKill(
  args: string[],
  env: Record<string, string>,
  delayMs: number,
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    // Its own process group: the kill takes `ytm` with its job children (a `--run` applies in a child), as
    // closing the terminal would.
    const child = spawn(process.execPath, [YTM_ENTRY, ...args, '--events'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stderr.resume();
    let killed = false;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (killed) return;
      try {
        const ev = JSON.parse(line) as { type: string; stage?: string };
        if (ev.type === 'progress' && ev.stage === 'recheck') {
          setTimeout(() => {
            if (child.exitCode !== null || child.pid === undefined) return;
            try {
              process.kill(-child.pid, 'SIGKILL');
              killed = true;
            } catch {
              // already gone
            }
          }, delayMs);
        }
      } catch {
        // not an event line
      }
    });
    child.on('exit', (code) => resolve({ killed, code }));
  });
}

async function rerunUntilDone(args: string[], env: Record<string, string>): Promise<void> {
  const r = await ytm([...args, '--json'], env, { timeoutMs: 120_000 });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
}

describe('SIGKILL during a store, then rerun', () => {
  it(`store --episode with symlink-back: ${TRIALS} random kills`, async () => {
    const rnd = mulberry32(4242);
    const w = miniWorkspace({ prefix: 'ytm-kill-store-' });
    try {
      const run = 'CH02-044_capcut_v1';
      const items = {
        script: 'scripts/CH02/044/content/assembled_human.md',
        wav: 'audio/final/CH02/044/CH02-044.wav',
        srt: 'audio/final/CH02/044/CH02-044.srt',
        mp4: `video/runs/${run}/remotion/output/final.mp4`,
      };
      const dests = {
        script: 'scripts/CH02/044/assembled_human.md',
        wav: 'audio_final/CH02/044/CH02-044.wav',
        srt: 'audio_final/CH02/044/CH02-044.srt',
        mp4: `remotion_mp4/CH02/044/${run}.mp4`,
      };
      const args = [
        'store',
        '--episode',
        'CH02-044',
        '--include-remotion',
        '--run-id',
        run,
        '--symlink-back',
        '--run',
        '--yes',
      ];
      let kills = 0;
      for (let t = 0; t < TRIALS; t++) {
        rmSync(w.base, { recursive: true, force: true });
        writeFile(path.join(w.base, '.keep'), '');
        const content: Record<string, Buffer> = {
          script: Buffer.from(`# CH02-044 trial ${t}\n`),
          wav: randomBytes(24 * MiB),
          srt: Buffer.from(`1\n00:00:00,000 --> 00:00:01,000\ntrial ${t}\n`),
          mp4: randomBytes(16 * MiB),
        };
        for (const [k, rel] of Object.entries(items)) {
          rmSync(path.join(w.ws, rel), { force: true });
          writeFile(path.join(w.ws, rel), content[k] as Buffer);
        }
        const hashes = Object.fromEntries(Object.entries(items).map(([k, rel]) => [k, sha256Of(path.join(w.ws, rel))]));
        const delay = 5 + Math.floor(rnd() * 196);
        const r = await runAndKill(args, w.env, delay);
        if (r.killed) kills++;

        // Right after the kill: consistent, never lost, never partial under a final name.
        for (const [k, rel] of Object.entries(items)) {
          const src = path.join(w.ws, rel);
          const dest = path.join(w.base, dests[k as keyof typeof dests]);
          const st = lstatSync(src);
          if (st.isSymbolicLink()) {
            expect(readlinkSync(src)).toBe(dest);
            expect(sha256Of(dest)).toBe(hashes[k]);
          } else {
            expect(sha256Of(src)).toBe(hashes[k]);
          }
        }
        for (const f of filesUnder(w.base).filter((f) => !isTemp(f) && f !== '.keep')) {
          if (f.startsWith('manifests/'))
            expect(() => JSON.parse(readFileSync(path.join(w.base, f), 'utf8'))).not.toThrow();
          else expect(Object.values(hashes)).toContain(sha256Of(path.join(w.base, f)));
        }

        await rerunUntilDone(args, w.env);
        for (const [k, rel] of Object.entries(items)) {
          const dest = path.join(w.base, dests[k as keyof typeof dests]);
          expect(sha256Of(dest)).toBe(hashes[k]);
          const heavy = k === 'wav' || k === 'mp4';
          expect(lstatSync(path.join(w.ws, rel)).isSymbolicLink()).toBe(heavy);
          expect(sha256Of(path.join(w.ws, rel))).toBe(hashes[k]);
        }
      }
      expect(kills).toBeGreaterThanOrEqual(Math.floor(TRIALS / 2));
      const plans = await listPlans(w.state);
      expect(plans.filter((p) => p.state === 'running')).toEqual([]);
      expect(plans.filter((p) => p.state === 'interrupted').length).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(w.dir, { recursive: true, force: true });
    }
  }, 600_000);

  it(`outbox flush of 20 files: ${TRIALS} random kills, no file ever lost`, async () => {
    const rnd = mulberry32(777);
    const w = miniWorkspace({ prefix: 'ytm-kill-flush-' });
    try {
      let kills = 0;
      for (let t = 0; t < TRIALS; t++) {
        rmSync(w.base, { recursive: true, force: true });
        rmSync(w.outbox, { recursive: true, force: true });
        writeFile(path.join(w.base, '.keep'), '');
        const hashes = new Map<string, string>();
        for (let i = 0; i < 20; i++) {
          const rel = `audio_final/CH02/${String(100 + i)}/CH02-${100 + i}.wav`;
          const p = writeFile(path.join(w.outboxBase, rel), randomBytes(MiB + i));
          hashes.set(rel, sha256Of(p));
        }
        const args = ['outbox', 'flush', '--run', '--yes'];
        const r = await runAndKill(args, w.env, 5 + Math.floor(rnd() * 196));
        if (r.killed) kills++;
        for (const [rel, sha] of hashes) {
          const inOutbox = (() => {
            try {
              return sha256Of(path.join(w.outboxBase, rel)) === sha;
            } catch {
              return false;
            }
          })();
          const onShare = (() => {
            try {
              return sha256Of(path.join(w.base, rel)) === sha;
            } catch {
              return false;
            }
          })();
          expect(inOutbox || onShare, `${rel} lost after kill in trial ${t}`).toBe(true);
        }
        for (const f of filesUnder(w.base).filter((f) => !isTemp(f) && f !== '.keep' && !f.startsWith('manifests/'))) {
          expect(sha256Of(path.join(w.base, f))).toBe(hashes.get(f));
        }
        await rerunUntilDone(args, w.env);
        for (const [rel, sha] of hashes) expect(sha256Of(path.join(w.base, rel))).toBe(sha);
        expect(filesUnder(w.outboxBase).filter((f) => !f.startsWith('manifests/') && !isTemp(f))).toEqual([]);
      }
      expect(kills).toBeGreaterThanOrEqual(Math.floor(TRIALS / 2));
    } finally {
      rmSync(w.dir, { recursive: true, force: true });
    }
  }, 600_000);
});
