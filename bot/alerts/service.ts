// The bot's alert service: `ingest(snapshot)` runs one monitor result through the state machine, queues the
// Slack messages its events call for and sends the queue; `silence()` is the Silence buttons. Every change
// goes through one lock (ingest, clicks and the retry timer never interleave) and is saved before anything is
// sent. Where the snapshot comes from (the tick timer now, the scheduler later) is not its business.
import type { WebClient } from '@slack/web-api';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import type { BotDeps } from '../deps.js';
import {
  alertView,
  escalationReply,
  reminderReply,
  resolvedReply,
  resolvedView,
  type SilenceLengths,
  silencedReply,
  silenceEndedNotice,
} from '../views/alert.js';
import { conditionsOf } from './conditions.js';
import { previousSeverities, silence, step } from './machine.js';
import { sendQueue } from './sender.js';
import { type AlertStoreData, enqueue, loadAlertStore, saveAlertStore } from './store.js';
import type { AlertEvent, AlertKey, AlertSettings } from './types.js';

/** While messages wait for Slack, the queue is retried this often. */
const RETRY_MS = 2_000;

export function alertSettings(deps: BotDeps): AlertSettings & { silence: SilenceLengths } {
  const c = deps.config;
  return {
    forChecks: c.YTM_ALERT_FOR_CHECKS,
    clearChecks: c.YTM_ALERT_CLEAR_CHECKS,
    repeatMs: c.YTM_ALERT_REPEAT_MIN * 60_000,
    diskMarginBytes: c.YTM_DISK_CLEAR_MARGIN_GIB * 1024 ** 3,
    silence: { shortMin: c.YTM_ALERT_SILENCE_SHORT_MIN, longMin: c.YTM_ALERT_SILENCE_LONG_MIN },
  };
}

export class AlertService {
  private lock: Promise<unknown> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly settings: ReturnType<typeof alertSettings>;
  private readonly channel: string | null;

  constructor(
    private readonly deps: BotDeps,
    private readonly client: WebClient,
  ) {
    this.settings = alertSettings(deps);
    this.channel = deps.config.YTM_SLACK_ALERT_CHANNEL;
  }

  /** One monitor result: conditions → state machine → queued messages → send. */
  ingest(snapshot: MonitorSnapshot, now = Date.now()): Promise<AlertEvent[]> {
    return this.locked(async (data) => {
      const evaluation = conditionsOf(snapshot, previousSeverities(data.machine), this.settings);
      const r = step(data.machine, evaluation, now, this.settings);
      data.machine = r.state;
      data.inhibited = r.inhibited;
      data.lastSnapshot = snapshot;
      for (const e of r.events) this.queueFor(data, e, now);
      if (r.events.length > 0) {
        this.deps.log.info({ events: r.events.map((e) => `${e.type}:${e.alert?.key ?? ''}`) }, 'alert events');
      }
      return r.events;
    });
  }

  /** The Silence buttons. Returns when the silence ends (ISO time). */
  setSilence(key: AlertKey, length: 'short' | 'long', by: string, now = Date.now()): Promise<string> {
    return this.locked(async (data) => {
      const minutes = length === 'short' ? this.settings.silence.shortMin : this.settings.silence.longMin;
      data.machine = silence(data.machine, key, now + minutes * 60_000, by);
      const s = data.machine.silences[key];
      const a = data.machine.alerts[key];
      if (s && this.channel) {
        if (a?.announced) {
          const view = alertView(a, { silence: s, lengths: this.settings.silence, now });
          enqueue(
            data,
            { id: `${a.incident}:silenced:${s.until}`, incident: a.incident, kind: 'update', message: view },
            now,
          );
        }
        enqueue(
          data,
          {
            id: `silence:${key}:${s.until}:set`,
            incident: s.incident ?? `silence:${key}`,
            kind: s.incident ? 'reply' : 'notice',
            message: silencedReply(s, minutes),
          },
          now,
        );
      }
      return s?.until ?? '';
    });
  }

  /** State for `/ytm status` and App Home. Read without the lock (the file is replaced atomically), so a send
   * waiting on an unreachable Slack does not hold up the answer. */
  snapshotState(): Promise<AlertStoreData> {
    return loadAlertStore(this.deps.stateDir);
  }

  /** Sends what waits (also after a restart). */
  flush(): Promise<void> {
    return this.locked(async () => {});
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private queueFor(data: AlertStoreData, e: AlertEvent, now: number): void {
    if (!this.channel) return;
    const lengths = this.settings.silence;
    const q = (
      id: string,
      incident: string,
      kind: 'post' | 'update' | 'reply' | 'notice',
      message: { text: string; blocks: unknown[] },
    ) => enqueue(data, { id, incident, kind, message }, now);
    switch (e.type) {
      case 'fired':
        q(`${e.alert.incident}:post`, e.alert.incident, 'post', alertView(e.alert, { silence: null, lengths, now }));
        return;
      case 'changed': {
        const silenceNow = data.machine.silences[e.alert.key] ?? null;
        q(
          `${e.alert.incident}:edit:${e.alert.edits}`,
          e.alert.incident,
          'update',
          alertView(e.alert, { silence: silenceNow, lengths, now }),
        );
        if (e.escalated)
          q(`${e.alert.incident}:escalated:${e.alert.edits}`, e.alert.incident, 'reply', escalationReply(e.alert, now));
        return;
      }
      case 'reminder':
        q(`${e.alert.incident}:remind:${e.alert.reminders}`, e.alert.incident, 'reply', reminderReply(e.alert, now));
        return;
      case 'resolved':
        q(`${e.alert.incident}:resolved`, e.alert.incident, 'update', resolvedView(e.alert, e.at));
        q(`${e.alert.incident}:resolved-reply`, e.alert.incident, 'reply', resolvedReply(e.alert, e.at));
        return;
      case 'silence_ended': {
        const { silence: s, alert: a } = e;
        const id = `silence:${s.key}:${s.until}:ended`;
        if (a)
          q(`${a.incident}:unsilenced:${s.until}`, a.incident, 'update', alertView(a, { silence: null, lengths, now }));
        const thread = a?.incident ?? s.incident;
        q(id, thread ?? `silence:${s.key}`, thread ? 'reply' : 'notice', silenceEndedNotice(s, a, now));
        return;
      }
    }
  }

  /** Runs `fn` on the loaded store under the lock, saves, then sends the queue. */
  private locked<T>(fn: (data: AlertStoreData) => Promise<T>): Promise<T> {
    const run = this.lock.then(async () => {
      const data = await loadAlertStore(this.deps.stateDir);
      const result = await fn(data);
      const save = () => saveAlertStore(this.deps.stateDir, data);
      await save();
      if (this.channel && data.queue.length > 0) {
        const r = await sendQueue(data, this.client, this.channel, save, this.deps.log);
        if (r.blocked) this.scheduleRetry();
      }
      return result;
    });
    this.lock = run.catch(() => {});
    return run;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.flush().catch((err: unknown) =>
        this.deps.log.error({ err: (err as Error).message }, 'alert queue flush failed'),
      );
    }, RETRY_MS);
    this.retry.unref();
  }
}
