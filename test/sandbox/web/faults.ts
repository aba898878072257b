// The browser sandbox's fault panel, back end: flips the demo share (stub, unmounted, hung), the free-disk
// thresholds and one Hot draft link on the real files, so the real bot's monitor and doctor see real faults.
// Changes run one at a time; close() puts everything back and leaves no mount and no process behind. A sandbox
// that died mid-fault is repaired by the next open().
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createContext } from '../../../jobs/engine/context.js';
import type { JobContext } from '../../../jobs/engine/types.js';
import { formatProblems, loadConfig } from '../../../lib/config.js';
import {
  DISK_THRESHOLD_VARS,
  type DiskThresholds,
  describeThresholds,
  thresholdsFor,
  writeThresholds,
} from './disk-thresholds.js';
import {
  breakDraftLink,
  type DraftBreak,
  draftJournalPath,
  pickDraftEpisode,
  recoverDraftLink,
  repairDraftLink,
  stillBroken,
} from './draft-fault.js';
import type { DiskFault, DraftFault, FaultState, ShareFault } from './page-state.js';
import { awayPath, hungUnavailableReason, ShareFaultControl } from './share-fault.js';

export type { DiskFault, DraftFault, FaultState, ShareFault } from './page-state.js';

export interface SandboxFaultsOptions {
  /** The sandbox's environment (demoWorkspace().env plus the bot's variables). */
  env: Record<string, string>;
  /** The dotenv file the bot's YTM_ENV_FILE points at; holds the disk thresholds. */
  envFile: string;
}

export class SandboxFaults {
  /** What open() repaired after a sandbox that died mid-fault (for the start-up banner). */
  readonly recovered: string[] = [];
  private disk: DiskThresholds;
  private draft: DraftBreak | null = null;
  private draftEpisode = '';
  private hungUnavailable: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly opts: SandboxFaultsOptions,
    private readonly ctx: JobContext,
    private readonly share: ShareFaultControl,
  ) {
    this.disk = { fault: 'normal', warnGib: 0, stopGib: 0, freeGib: null, volume: ctx.paths.workspaceRoot };
  }

  /** Writes `envFile` (thresholds 0) after undoing what a previous sandbox left; use botEnv() for the bot. */
  static async open(opts: SandboxFaultsOptions): Promise<SandboxFaults> {
    const env = botEnvOf(opts);
    const loaded = loadConfig(env, path.dirname(opts.envFile), { warn: () => {} });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    const ctx = createContext(loaded.config, { actor: 'sandbox:faults' });
    const root = ctx.paths.sharedRoot;
    if (!root) throw new Error('the sandbox needs YTM_SHARED_STORAGE_ROOT for its share faults');
    const faults = new SandboxFaults(opts, ctx, new ShareFaultControl(path.resolve(root), ctx.paths.namespace));
    await mkdir(path.dirname(opts.envFile), { recursive: true });
    faults.recovered.push(...(await faults.share.recover()));
    const draft = await recoverDraftLink(draftJournalPath(opts.envFile));
    if (draft) faults.recovered.push(draft);
    await writeThresholds(opts.envFile, faults.disk);
    faults.hungUnavailable = await hungUnavailableReason();
    faults.draftEpisode = (await pickDraftEpisode(ctx))?.episode ?? '';
    return faults;
  }

  /** The bot env to use: opts.env minus the disk thresholds, plus YTM_ENV_FILE=envFile. */
  botEnv(): Record<string, string> {
    return botEnvOf(this.opts);
  }

  state(): FaultState {
    const broken = this.draft !== null && stillBroken(this.draft);
    const root = this.share.root;
    const shareLine: Record<ShareFault, string | null> = {
      up: null,
      stub: this.share.blockedBy
        ? `Share: ${this.share.blockedBy}`
        : `Share: README_MOUNTPOINT.txt written in ${root}, so the probe sees a mountpoint stub`,
      unmounted: `Share: ${root} renamed to ${awayPath(root)}, so the probe finds no share (unmounted)`,
      hung: `Share: a stalled FUSE mount over ${root}: every stat blocks, so probes time out (hung)`,
    };
    const draftLine =
      broken && this.draft
        ? `Draft: ${this.draft.episode}'s capcut_draft link points at a missing folder (${this.draft.broken}); ` +
          `the doctor reports HOT_RUN_SYMLINK_BROKEN and suggests \`ytm relink ${this.draft.episode}\``
        : null;
    return {
      share: this.share.state,
      disk: this.disk.fault,
      draft: broken ? 'broken' : 'ok',
      hungUnavailable: this.hungUnavailable,
      draftEpisode: this.draft?.episode ?? this.draftEpisode,
      describe: [shareLine[this.share.state], describeThresholds(this.disk), draftLine].filter(
        (l): l is string => l !== null,
      ),
    };
  }

  setShare(s: ShareFault): Promise<FaultState> {
    return this.serial(async () => {
      if (s === 'hung' && this.hungUnavailable) throw new Error(`the 'hung' share ${this.hungUnavailable}`);
      await this.share.set(s);
    });
  }

  setDisk(d: DiskFault): Promise<FaultState> {
    return this.serial(async () => {
      const t = await thresholdsFor(d, this.ctx.paths.workspaceRoot);
      await writeThresholds(this.opts.envFile, t);
      this.disk = t;
    });
  }

  /** 'broken' (again) picks the episode anew: a link fixed by `/ytm relink` meanwhile is left as it is. */
  setDraft(d: DraftFault): Promise<FaultState> {
    return this.serial(async () => {
      await this.repairDraft();
      if (d === 'ok') return;
      const pick = await pickDraftEpisode(this.ctx);
      if (!pick) throw new Error('no Hot episode has a sound capcut_draft link to break');
      this.draftEpisode = pick.episode;
      this.draft = await breakDraftLink(pick, draftJournalPath(this.opts.envFile));
    });
  }

  /** Everything back to normal; every step is tried even when one fails (the first failure is then thrown). */
  close(): Promise<void> {
    return this.serial(async () => {
      const steps = [
        () => this.share.undo(),
        () => this.repairDraft(),
        async () => {
          this.disk = await thresholdsFor('normal', this.ctx.paths.workspaceRoot);
          await writeThresholds(this.opts.envFile, this.disk);
        },
      ];
      const failures: unknown[] = [];
      for (const step of steps) await step().catch((err: unknown) => failures.push(err));
      if (failures.length > 0) throw failures[0];
    }).then(() => undefined);
  }

  private async repairDraft(): Promise<void> {
    if (!this.draft) return;
    await repairDraftLink(this.draft, draftJournalPath(this.opts.envFile));
    this.draft = null;
  }

  /** One change at a time, in the order asked; each answers with the state after it. */
  private serial(fn: () => Promise<void>): Promise<FaultState> {
    const run = this.queue.then(() => fn()).then(() => this.state());
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function botEnvOf(opts: SandboxFaultsOptions): Record<string, string> {
  const env: Record<string, string> = { ...opts.env, YTM_ENV_FILE: path.resolve(opts.envFile) };
  for (const name of DISK_THRESHOLD_VARS) delete env[name];
  return env;
}
