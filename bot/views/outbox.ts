// The outbox in Slack: the read-only listing (`/ytm outbox`) and the "Plan outbox flush" button's action id
// (the outbox alert, bot/views/alert.ts, carries the button).
import { formatBytes } from '../../jobs/engine/output.js';
import { type Block, clip, context, esc, linesWithinBudget, section } from './limits.js';

export const OUTBOX_PLAN_FLUSH_ACTION = 'outbox.plan_flush';

export interface OutboxListing {
  share: { state: string; reason?: string };
  files: { rel: string; size: number; root?: string }[];
  count: number;
  totalBytes: number;
}

export function isOutboxListing(v: unknown): v is OutboxListing {
  const o = v as Partial<OutboxListing> | null;
  return !!o && Array.isArray(o.files) && typeof o.count === 'number' && typeof o.totalBytes === 'number';
}

const fileLines = (l: OutboxListing) => l.files.map((f) => `• \`${esc(clip(f.rel, 300))}\` ${formatBytes(f.size)}`);

export function outboxListView(l: OutboxListing): { text: string; blocks: Block[] } {
  if (l.count === 0) {
    const text = ':white_check_mark: The outbox is empty: nothing waits for the share.';
    return { text, blocks: [section(text)] };
  }
  const head = `:outbox_tray: *${l.count} file(s), ${formatBytes(l.totalBytes)}* wait in the local outbox (the share is *${esc(l.share.state)}*).`;
  const hint =
    l.share.state === 'up'
      ? 'The share is up: `/ytm outbox flush` plans copying them.'
      : 'Flush when the share is back: `/ytm outbox flush`.';
  return {
    text: `${l.count} file(s) wait in the outbox`,
    blocks: [section(head), section(linesWithinBudget(fileLines(l), 2_500)), context(hint)],
  };
}
