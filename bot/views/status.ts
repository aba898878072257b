// `/ytm status` and the status part of App Home: firing alerts, silences, plans waiting or running, job
// children running now, probe children stuck on the share, and the last doctor and mirror runs.
import { humanDuration } from '../../jobs/engine/stamp.js';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import type { AlertKey, AlertRecord, Silence } from '../alerts/types.js';
import { alertHeadline, clock } from './alert.js';
import { type Block, clip, context, esc, header, linesWithinBudget, section } from './limits.js';

export interface StatusInfo {
  host: string;
  now: number;
  alerts: AlertRecord[];
  silences: Silence[];
  inhibited: AlertKey[];
  monitor: { checkedAt: string; share: MonitorSnapshot['share']; mirror: string[] } | null;
  plans: { shortId: string; state: string; job: string; summary: string; requestedBy: string }[];
  jobs: { pid: number | undefined; args: string[]; startedAt: string }[];
  doctor: { at: string; status: string } | null;
  alertChannel: string | null;
}

const ago = (info: StatusInfo, iso: string) => `${humanDuration(info.now - Date.parse(iso))} ago`;
const list = (lines: string[], none: string) => (lines.length > 0 ? linesWithinBudget(lines, 1_500) : none);

export function statusBlocks(info: StatusInfo): Block[] {
  const firing = info.alerts.filter((a) => a.phase === 'firing');
  const pending = info.alerts.filter((a) => a.phase === 'pending');
  const alertLines = [
    ...firing.map(
      (a) => `• ${a.severity === 'crit' ? ':red_circle:' : ':large_yellow_circle:'} ${esc(alertHeadline(a, info.now))}`,
    ),
    ...pending.map(
      (a) => `• :hourglass: pending (${a.bad} bad check${a.bad === 1 ? '' : 's'}): ${esc(alertHeadline(a, info.now))}`,
    ),
    ...info.inhibited.map((k) => `• :mute: ${k}: held back while the share is down`),
  ];
  const silenceLines = info.silences.map(
    (s) =>
      `• ${s.key} until ${esc(clock(s.until))} (in ${humanDuration(Date.parse(s.until) - info.now)}), by <@${s.by}>`,
  );
  const planLines = info.plans.map(
    (p) => `• \`${p.shortId}\` ${p.state} · ${esc(p.job)} · by <@${p.requestedBy}> · ${esc(clip(p.summary, 120))}`,
  );
  const jobLines = info.jobs.map(
    (j) =>
      `• \`ytm ${esc(j.args.filter((a) => a !== '--events').join(' '))}\` pid ${j.pid ?? '?'}, ${ago(info, j.startedAt)}`,
  );
  const m = info.monitor;
  const stuckLines =
    m?.share.stuckProbes.map(
      (p) => `• pid ${p.pid} ${esc(p.op)} on \`${esc(p.root)}\` since ${esc(clock(p.since))} (${ago(info, p.since)})`,
    ) ?? [];
  const share = m
    ? `share *${m.share.state}*${m.share.reason ? ` (${esc(clip(m.share.reason, 200))})` : ''}, checked ${ago(info, m.checkedAt)}`
    : 'no monitor check yet';
  const doctor = info.doctor ? `last doctor: ${info.doctor.status}, ${ago(info, info.doctor.at)}` : 'no doctor run yet';
  const mirror = m
    ? m.mirror.length > 0
      ? `mirror: ${esc(m.mirror.join('; '))}`
      : 'mirror: last run OK and recent'
    : 'mirror: not checked yet';
  return [
    section(`*Alerts*\n${list(alertLines, 'none firing')}`),
    section(`*Silences*\n${list(silenceLines, 'none')}`),
    section(`*Plans waiting or running*\n${list(planLines, 'none')}`),
    section(`*Jobs running*\n${list(jobLines, 'none')}`),
    section(`*Stuck probes*\n${list(stuckLines, 'none')}`),
    context(
      share,
      doctor,
      mirror,
      info.alertChannel ? `alerts go to <#${info.alertChannel}>` : 'alerts off (YTM_SLACK_ALERT_CHANNEL)',
    ),
  ];
}

export function statusView(info: StatusInfo): { text: string; blocks: Block[] } {
  const firing = info.alerts.filter((a) => a.phase === 'firing').length;
  const text = `ytm status on ${info.host}: ${firing} alert${firing === 1 ? '' : 's'} firing, ${info.plans.length} plan(s) waiting or running`;
  return { text, blocks: [header(`ytm status on ${info.host}`), ...statusBlocks(info)] };
}
