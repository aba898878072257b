// What Slack asked for, per plan: the command words, who asked and where. Kept beside the approval store
// (<stateDir>/slack/requests/<planId>.json) so "Re-plan" can re-run the original command for the same user
// after a restart, and so the card can name the command it came from.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { isPlanId } from '../../lib/plan/id.js';

export const SlackRequestSchema = z.object({
  words: z.array(z.string()).max(64),
  userId: z.string(),
  channelId: z.string().nullable(),
});
export type SlackRequest = z.infer<typeof SlackRequestSchema>;

const dir = (stateDir: string) => path.join(stateDir, 'slack', 'requests');

export async function saveRequest(stateDir: string, planId: string, req: SlackRequest): Promise<void> {
  if (!isPlanId(planId)) throw new Error('not a plan id');
  await mkdir(dir(stateDir), { recursive: true });
  await writeJsonAtomic(path.join(dir(stateDir), `${planId}.json`), req);
}

export async function loadRequest(stateDir: string, planId: string): Promise<SlackRequest | undefined> {
  if (!isPlanId(planId)) return undefined;
  try {
    const parsed = SlackRequestSchema.safeParse(
      JSON.parse(await readFile(path.join(dir(stateDir), `${planId}.json`), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Flags Slack never passes to a planning child: approval is the only way to run, and output is always events. */
const DROPPED = new Set(['--run', '--yes', '--json', '--events']);

/** The words for the dry-run child (`ytm <words> --events`), and whether the user typed `--run`. */
export function planningWords(words: readonly string[]): { words: string[]; droppedRun: boolean } {
  return { words: words.filter((w) => !DROPPED.has(w)), droppedRun: words.includes('--run') };
}
