// What the scheduler last did, per manifest job, in <YTM_STATE_DIR>/schedule/state.json: the last run (when, how
// long, outcome, exit code), the next planned run, skipped overlapping ticks, and the plan a refused run is
// waiting on. The bot writes it (atomically); `ytm status` reads it, so it answers while the bot is down.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../fs/atomic.js';

export const RUN_OUTCOMES = ['ok', 'failed', 'refused', 'timeout', 'skipped-overlap'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

const LastRunSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  outcome: z.enum(RUN_OUTCOMES),
  exitCode: z.number().int().nullable(),
});

const EntryStateSchema = z.object({
  schedule: z.string(),
  lastRun: LastRunSchema.optional(),
  nextRunAt: z.string().nullable().optional(),
  /** Set while a run is going (cleared when the last one finishes). */
  runningSince: z.string().optional(),
  skipped: z.object({ count: z.number().int(), lastAt: z.string() }).optional(),
  /** A plan posted for approval by a refused run; no second card while it still waits. */
  awaitingPlan: z.string().optional(),
});

export const ScheduleStateSchema = z.object({ entries: z.record(z.string(), EntryStateSchema) });
export type ScheduleState = z.infer<typeof ScheduleStateSchema>;
export type EntryState = z.infer<typeof EntryStateSchema>;
export type LastRun = z.infer<typeof LastRunSchema>;

export const scheduleStateFile = (stateDir: string) => path.join(stateDir, 'schedule', 'state.json');

/** The recorded state; a missing or damaged file reads as empty (the next write replaces it). */
export async function loadScheduleState(stateDir: string): Promise<ScheduleState> {
  try {
    const parsed = ScheduleStateSchema.safeParse(JSON.parse(await readFile(scheduleStateFile(stateDir), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // missing or not JSON: nothing recorded yet
  }
  return { entries: {} };
}

export async function saveScheduleState(stateDir: string, state: ScheduleState): Promise<void> {
  await mkdir(path.dirname(scheduleStateFile(stateDir)), { recursive: true });
  await writeJsonAtomic(scheduleStateFile(stateDir), state);
}
