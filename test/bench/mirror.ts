// Bench: the mirror of a 50,000-file tree against bare rsync with the same options, in the same run (issue 9:
// overhead at most 5 % or 200 ms, whichever is larger): the first run into an empty vault, a no-change run,
// and the dry run (the drift measure) of the no-change tree against bare `rsync -n`. Ours is the job's own
// plan (every pass with rsync -n) and apply (lease, pinned destination, every pass, logs and report), called
// in-process; bare rsync gets exactly the same argument lists, one process per pass, output read and dropped.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createContext } from '../../jobs/engine/context.js';
import type { JobContext } from '../../jobs/engine/types.js';
import { type MirrorAction, MirrorActionSchema } from '../../jobs/mirror/action.js';
import { executeMirror } from '../../jobs/mirror/execute.js';
import { planMirror } from '../../jobs/mirror/plan.js';
import { writeSentinel } from '../../jobs/mirror/sentinel.js';
import { loadConfig } from '../../lib/config.js';
import { treeSyncArgs } from '../../lib/rsync/args.js';
import { rsyncCommand } from '../../lib/rsync/run.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import { probeRsync } from '../../lib/rsync/version.js';

export interface MirrorBenchRow {
  what: string;
  oursMs: number;
  bareMs: number;
}

function runBare(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`bare rsync exit ${code}`))));
  });
}

/** Bare rsync over the action's passes, into `vault` instead of the action's vault. */
async function bare(ctx: JobContext, a: MirrorAction, vault: string, dryRun: boolean): Promise<number> {
  const settings = rsyncSettings(ctx.config);
  const { caps } = await probeRsync(settings.bin);
  const t0 = performance.now();
  for (const p of a.passes) {
    const dest = path.join(vault, path.relative(a.dest, p.dest));
    mkdirSync(path.dirname(dest), { recursive: true });
    const args = treeSyncArgs(settings, caps, { ...p, dest, maxDelete: p.delete ? a.maxDelete : null, dryRun });
    const cmd = rsyncCommand(settings, args);
    await runBare(cmd.file, cmd.args);
  }
  return performance.now() - t0;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function benchMirror(files = 50_000): Promise<MirrorBenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ytm-bench-mirror-'));
  try {
    const ws = path.join(dir, 'workspaces');
    const perDir = 500;
    for (let i = 0; i < files; i++) {
      const d = path.join(
        ws,
        'episodes',
        `CH${String(Math.floor(i / 10_000) + 1).padStart(2, '0')}`,
        `${Math.floor(i / perDir)}`,
      );
      if (i % perDir === 0) mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, `f${i}.txt`), `file ${i}\n`);
    }
    const vault = path.join(dir, 'vault');
    const bareVault = path.join(dir, 'bare-vault');
    const loaded = loadConfig({
      YTM_ENV_FILE: path.join(dir, 'none.env'),
      YTM_WORKSPACE_ROOT: ws,
      YTM_VAULT_WORKSPACES_ROOT: vault,
      YTM_STATE_DIR: path.join(dir, 'state'),
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const ctx = createContext(loaded.config, { actor: 'bench' });
    for (const v of [vault, bareVault]) {
      mkdirSync(v);
      await writeSentinel(v, dir, new Date());
    }
    const planOf = async () => {
      const draft = await planMirror({ bootstrapDest: false }, ctx);
      if (draft.refusals.length > 0) throw new Error(JSON.stringify(draft.refusals));
      return MirrorActionSchema.parse(draft.actions[0]);
    };
    const action = await planOf();
    const rows: MirrorBenchRow[] = [];
    const bareFirst = await bare(ctx, action, bareVault, false);
    const oursFirst = await timed(() => executeMirror(action, ctx, 'bench-first'));
    if (oursFirst.value.status !== 'done') throw new Error(oursFirst.value.message);
    rows.push({ what: `first run (${files} files)`, oursMs: oursFirst.ms, bareMs: bareFirst });
    const best = (xs: number[]) => Math.min(...xs);
    const noChange = { ours: [] as number[], bare: [] as number[], oursDry: [] as number[], bareDry: [] as number[] };
    for (let round = 0; round < 3; round++) {
      noChange.bare.push(await bare(ctx, action, bareVault, false));
      noChange.ours.push((await timed(() => executeMirror(action, ctx, `bench-${round}`))).ms);
      noChange.bareDry.push(await bare(ctx, action, bareVault, true));
      noChange.oursDry.push((await timed(planOf)).ms);
    }
    rows.push({ what: 'no-change run', oursMs: best(noChange.ours), bareMs: best(noChange.bare) });
    rows.push({ what: 'dry run (drift), no change', oursMs: best(noChange.oursDry), bareMs: best(noChange.bareDry) });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "ratio 1.03x, +25 ms (target <= 5 % or 200 ms): ok". */
export function mirrorVerdict(r: MirrorBenchRow): string {
  const over = r.oursMs - r.bareMs;
  const allowed = Math.max(0.05 * r.bareMs, 200);
  return `mirror ${r.what}: ours ${r.oursMs.toFixed(0)} ms vs bare rsync ${r.bareMs.toFixed(0)} ms, ratio ${(r.oursMs / r.bareMs).toFixed(2)}x, ${over >= 0 ? '+' : ''}${over.toFixed(0)} ms (target <= 5 % or 200 ms): ${over <= allowed ? 'ok' : 'OVER'}`;
}
