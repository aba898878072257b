// The scheduled jobs part of `ytm status`: whether the bot (which runs them) holds its instance lock, and each
// job's last and next run as the bot recorded them (lib/schedule/state.ts), so it answers with the bot down.
import { BOT_LOCK_STALE_MS, botLockFile, liveInstanceLockHolder } from '../../lib/locks/instance.js';
import { type EntryState, loadScheduleState } from '../../lib/schedule/state.js';
import { humanDuration } from '../engine/stamp.js';

export interface ScheduleStatus {
  bot: { running: boolean; pid: number | null; host: string | null; since: string | null };
  jobs: ({ name: string } & EntryState)[];
}

export async function scheduleStatus(stateDir: string): Promise<ScheduleStatus> {
  const [holder, state] = await Promise.all([
    liveInstanceLockHolder(botLockFile(stateDir), BOT_LOCK_STALE_MS),
    loadScheduleState(stateDir),
  ]);
  return {
    bot: {
      running: holder !== undefined,
      pid: holder?.pid ?? null,
      host: holder?.host ?? null,
      since: holder?.startedAt ?? null,
    },
    jobs: Object.entries(state.entries).map(([name, e]) => ({ name, ...e })),
  };
}

const when = (iso: string, now: number) => {
  const t = Date.parse(iso);
  const rel = t <= now ? `${humanDuration(now - t)} ago` : `in ${humanDuration(t - now)}`;
  return `${iso.replace(/\.\d+Z$/, 'Z')} (${rel})`;
};

export function scheduleLines(s: ScheduleStatus, now = Date.now()): string[] {
  const bot = s.bot.running
    ? `  bot       running: pid ${s.bot.pid} on ${s.bot.host}, since ${s.bot.since}`
    : '  bot       not running (no live instance lock): scheduled jobs wait for it';
  if (s.jobs.length === 0)
    return [bot, '  schedule  nothing recorded yet (the bot records its scheduled jobs when it starts)'];
  const width = Math.max(...s.jobs.map((j) => j.name.length));
  const lines = [bot, '  schedule'];
  for (const j of s.jobs) {
    const last = j.lastRun
      ? `last ${j.lastRun.outcome} ${when(j.lastRun.finishedAt, now)}, took ${humanDuration(j.lastRun.durationMs)}, exit ${j.lastRun.exitCode ?? '-'}`
      : 'never run';
    const next = !s.bot.running
      ? 'next: bot not running'
      : j.nextRunAt
        ? `next ${when(j.nextRunAt, now)}`
        : 'next: none';
    lines.push(`    ${j.name.padEnd(width)}  ${j.schedule}`);
    lines.push(`    ${' '.repeat(width)}  ${last}`);
    lines.push(
      `    ${' '.repeat(width)}  ${next}${j.runningSince ? `; running since ${when(j.runningSince, now)}` : ''}`,
    );
    if (j.skipped) {
      lines.push(
        `    ${' '.repeat(width)}  ${j.skipped.count} tick(s) skipped while a run was still going, last ${when(j.skipped.lastAt, now)}`,
      );
    }
  }
  return lines;
}
