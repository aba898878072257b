// The intent journal of one plan's execution: <stateDir>/journal/<planId>.jsonl. A line is appended and
// fsync'ed before and after each action, so after a crash the journal says which actions completed, which one
// was in progress, and which never started.
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getPlan } from '../../lib/approvals/store.js';
import { fsyncDir } from '../../lib/fs/atomic.js';

export type JournalLine =
  | { t: 'start'; at: string; pid: number; host: string; actions: number; actor: string }
  | { t: 'begin'; at: string; i: number; label: string }
  | { t: 'end'; at: string; i: number; status: string; message: string }
  | { t: 'finish'; at: string; state: string };

export const journalDir = (stateDir: string) => join(stateDir, 'journal');
export const journalFile = (stateDir: string, planId: string) => join(journalDir(stateDir), `${planId}.jsonl`);

export async function appendJournal(stateDir: string, planId: string, line: JournalLine): Promise<void> {
  const dir = journalDir(stateDir);
  await mkdir(dir, { recursive: true });
  const fh = await open(journalFile(stateDir, planId), 'a', 0o600);
  let created = false;
  try {
    created = (await fh.stat()).size === 0;
    await fh.write(`${JSON.stringify(line)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (created) await fsyncDir(dir);
}

/** Every complete line; a torn last line (crash mid-write) is ignored. */
export async function readJournal(stateDir: string, planId: string): Promise<JournalLine[]> {
  let text: string;
  try {
    text = await readFile(journalFile(stateDir, planId), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: JournalLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalLine);
    } catch {
      // torn line
    }
  }
  return out;
}

export interface InterruptedDescription {
  planId: string;
  job: string | null;
  started: boolean;
  /** Actions that finished, with their status. */
  completed: { index: number; label: string; status: string; message: string }[];
  /** An action that began but has no end line: it may be half done (the job's next run finishes or redoes it). */
  inProgress: { index: number; label: string }[];
  notStarted: number[];
  text: string;
}

/** What a crashed (or still running) execution got done, from its journal and the stored plan. */
export async function describeInterrupted(stateDir: string, planId: string): Promise<InterruptedDescription> {
  const lines = await readJournal(stateDir, planId);
  const rec = await getPlan(stateDir, planId);
  const total = rec?.plan.actions.length ?? 0;
  const begun = new Map<number, string>();
  const ended = new Map<number, { status: string; message: string }>();
  for (const l of lines) {
    if (l.t === 'begin') begun.set(l.i, l.label);
    if (l.t === 'end') ended.set(l.i, { status: l.status, message: l.message });
  }
  const completed = [...ended.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, e]) => ({ index, label: begun.get(index) ?? `action ${index + 1}`, ...e }));
  const inProgress = [...begun.entries()].filter(([i]) => !ended.has(i)).map(([index, label]) => ({ index, label }));
  const notStarted: number[] = [];
  for (let i = 0; i < total; i++) if (!begun.has(i)) notStarted.push(i);
  const started = lines.some((l) => l.t === 'start');
  const parts = [
    `${completed.length} of ${total} action(s) completed`,
    inProgress.length > 0 ? `interrupted during: ${inProgress.map((p) => p.label).join('; ')}` : '',
    notStarted.length > 0 ? `${notStarted.length} not started` : '',
  ].filter(Boolean);
  return {
    planId,
    job: rec?.plan.job ?? null,
    started,
    completed,
    inProgress,
    notStarted,
    text: started ? parts.join('; ') : 'the execution never started (no journal)',
  };
}
