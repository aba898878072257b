// One Slack message per alert incident: what is wrong in one line ("Disk: 72 GiB free, below the 80 GiB stop
// line"), details, the fix as a button ("Plan outbox flush", "Run doctor", "Plan relink", "Plan mirror"),
// Silence buttons; the same message resolved; and the thread replies (reminder, escalation, resolved, silence).
import { humanDuration } from '../../jobs/engine/stamp.js';
import type { AlertRecord, Silence } from '../alerts/types.js';
import { DOCTOR_RERUN_ACTION } from './doctor-report.js';
import { type Block, button, clip, context, esc, linesWithinBudget, section } from './limits.js';
import { OUTBOX_PLAN_FLUSH_ACTION } from './outbox.js';

export const ALERT_PLAN_ACTION = 'alert.plan';
/** One action id per length: action ids must be unique within a block. */
export const ALERT_SILENCE_ACTIONS = { short: 'alert.silence_short', long: 'alert.silence_long' } as const;

export interface SilenceLengths {
  shortMin: number;
  longMin: number;
}

const GIB = 1024 ** 3;

/** "09:12" in the bot's local time (the fallback text); blocks use Slack's own date formatting. */
export function clock(iso: string): string {
  return new Date(iso).toTimeString().slice(0, 5);
}

function slackTime(iso: string): string {
  const s = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${s}^{time}|${clock(iso)}>`;
}

const gib = (bytes: number) => (bytes >= 10 * GIB ? Math.floor(bytes / GIB) : Math.floor((bytes / GIB) * 10) / 10);

/** The one line that says what is wrong (plain text: it is also the notification text). */
export function alertHeadline(a: AlertRecord, now = Date.now()): string {
  const f = a.facts;
  switch (a.key) {
    case 'share': {
      if (f.state === 'hung') {
        const stuck =
          typeof f.stuckSince === 'string'
            ? `probes stuck for ${humanDuration(now - Date.parse(f.stuckSince))} (pid ${f.stuckPid})`
            : 'probes time out';
        return `Share hung since ${clock(a.since)}: ${stuck}; stores go to the outbox, mirror paused`;
      }
      return `Share down (${f.state} since ${clock(a.since)}): stores go to the outbox, mirror paused`;
    }
    case 'disk': {
      const free = Number(f.free);
      const line = Number(f.line);
      const name = f.lineName === 'stop' ? 'stop' : 'warning';
      return free <= line
        ? `Disk: ${gib(free)} GiB free, below the ${gib(line)} GiB ${name} line`
        : `Disk: ${gib(free)} GiB free, not yet ${gib(Number(f.margin))} GiB above the ${gib(line)} GiB ${name} line`;
    }
    case 'mirror':
      if (a.variant === 'failed') return `Mirror failed: rsync exit ${f.exit}`;
      return f.never ? 'Mirror has never succeeded' : `Mirror has not succeeded for ${f.lastOkAgo ?? 'a while'}`;
    case 'drift':
      return `Vault drift: ${Number(f.changes).toLocaleString('en-US')} changes pending`;
    case 'planning':
      return `Planning split: using ${f.effective}, not the configured ${f.configured}`;
    case 'outbox':
      return `Outbox not drained: ${f.files} file(s) wait while the share is up`;
    case 'hot': {
      const n = Number(f.count);
      return `${n} Hot episode${n === 1 ? ' has' : 's have'} no local CapCut draft`;
    }
  }
}

const ICON = { warn: ':large_yellow_circle:', crit: ':red_circle:' } as const;

function fixButtons(a: AlertRecord): Block[] {
  switch (a.key) {
    case 'outbox':
      return [button('Plan outbox flush', OUTBOX_PLAN_FLUSH_ACTION, 'flush', 'primary')];
    case 'mirror':
    case 'drift':
      return [button('Plan mirror', ALERT_PLAN_ACTION, 'mirror', 'primary')];
    case 'hot': {
      const ep = String(a.facts.episodes ?? '').split(' ')[0];
      return [
        ...(ep ? [button(`Plan relink ${ep}`, ALERT_PLAN_ACTION, `relink ${ep}`, 'primary')] : []),
        button('Run doctor', DOCTOR_RERUN_ACTION, 'alert'),
      ];
    }
    default:
      return [button('Run doctor', DOCTOR_RERUN_ACTION, 'alert')];
  }
}

export function silenceLabel(min: number): string {
  return min >= 60 && min % 60 === 0 ? `${min / 60} h` : `${min} min`;
}

/** The incident's message while it fires. */
export function alertView(
  a: AlertRecord,
  opts: { silence: Silence | null; lengths: SilenceLengths; now?: number },
): { text: string; blocks: Block[] } {
  const now = opts.now ?? Date.now();
  const headline = alertHeadline(a, now);
  const blocks: Block[] = [section(`${ICON[a.severity]} *${esc(headline)}*`)];
  if (a.details.length > 0) {
    blocks.push(
      section(
        linesWithinBudget(
          a.details.map((d) => `• ${esc(clip(d, 400))}`),
          2_000,
        ),
      ),
    );
  }
  blocks.push({
    type: 'actions',
    block_id: `alert.${a.key}`,
    elements: [
      ...fixButtons(a),
      button(`Silence ${silenceLabel(opts.lengths.shortMin)}`, ALERT_SILENCE_ACTIONS.short, a.key),
      button(`Silence ${silenceLabel(opts.lengths.longMin)}`, ALERT_SILENCE_ACTIONS.long, a.key),
    ],
  });
  blocks.push(
    context(
      `since ${slackTime(a.since)}`,
      a.severity === 'crit' ? 'critical' : 'warning',
      ...(opts.silence ? [`:zzz: silenced until ${slackTime(opts.silence.until)} by <@${opts.silence.by}>`] : []),
      'Buttons plan; nothing changes until a plan is approved.',
    ),
  );
  return { text: headline, blocks };
}

/** The same message once the incident is over. */
export function resolvedView(a: AlertRecord, at: string): { text: string; blocks: Block[] } {
  const headline = alertHeadline(a, Date.parse(at));
  const text = `Resolved: ${headline} (resolved after ${humanDuration(Date.parse(at) - Date.parse(a.since))})`;
  return {
    text,
    blocks: [
      section(`:white_check_mark: ~${esc(headline)}~`),
      context(`resolved ${slackTime(at)}, after ${humanDuration(Date.parse(at) - Date.parse(a.since))}`),
    ],
  };
}

const plain = (text: string) => ({ text, blocks: [section(esc(text))] });

export const resolvedReply = (a: AlertRecord, at: string) =>
  plain(`resolved after ${humanDuration(Date.parse(at) - Date.parse(a.since))}`);

export const reminderReply = (a: AlertRecord, now: number) =>
  plain(`Still firing after ${humanDuration(now - Date.parse(a.since))}: ${alertHeadline(a, now)}`);

export const escalationReply = (a: AlertRecord, now: number) => plain(`Escalated: ${alertHeadline(a, now)}`);

export function silencedReply(s: Silence, minutes: number): { text: string; blocks: Block[] } {
  const text = `Silenced for ${silenceLabel(minutes)} by <@${s.by}> (until ${clock(s.until)}): no reminders until then.`;
  return { text, blocks: [section(text)] };
}

export function silenceEndedNotice(s: Silence, a: AlertRecord | null, now: number): { text: string; blocks: Block[] } {
  return plain(
    a
      ? `Silence ended: still firing, ${alertHeadline(a, now)}`
      : `Silence on the ${s.key} alert ended; it is not firing.`,
  );
}
