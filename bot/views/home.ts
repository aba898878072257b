// The App Home tab: what the bot can do, who may use it, the last doctor verdict and the status (alerts,
// silences, plans, jobs, stuck probes, last doctor and mirror runs).
import { COMMANDS } from '../../jobs/grammar.js';
import type { LastDoctor } from '../last-doctor.js';
import { worksInSlack } from './help.js';
import { type Block, clip, context, divider, esc, header, SLACK_LIMITS, section } from './limits.js';
import { type StatusInfo, statusBlocks } from './status.js';

export interface HomeInfo {
  host: string;
  lastDoctor: LastDoctor | null;
  allowedUsers: readonly string[];
  allowedChannels: readonly string[];
  readonlyOpen: boolean;
  /** Left out where there is none to show (a view test). */
  status?: StatusInfo;
}

const STATUS_LINE: Record<LastDoctor['status'], string> = {
  ok: ':large_green_circle: healthy',
  warn: ':large_yellow_circle: needs attention',
  crit: ':red_circle: critical',
};

export function homeView(info: HomeInfo): { type: 'home'; blocks: Block[] } {
  // What works in Slack only, as `/ytm help` lists it.
  const commands = COMMANDS.filter(worksInSlack)
    .map((c) => `• \`/ytm ${c.name}\` — ${esc(c.summary)}`)
    .join('\n');
  const last = info.lastDoctor;
  let doctor: string;
  if (!last) {
    doctor = 'No doctor run yet. Run `/ytm doctor` in an allowed channel.';
  } else {
    const when = Math.floor(Date.parse(last.generatedAt) / 1000);
    const time = Number.isFinite(when)
      ? `<!date^${when}^{date_short_pretty} {time}|${esc(last.generatedAt)}>`
      : esc(last.generatedAt);
    const problems = last.findings
      .filter((f) => f.severity !== 'info')
      .map((f) => `${f.code} (${f.count})`)
      .join(', ');
    doctor = `${STATUS_LINE[last.status]} on ${esc(last.host)}, ${time}${problems ? `\n${esc(clip(problems, 1500))}` : ''}`;
  }
  const who =
    info.allowedUsers.length > 0
      ? `${info.allowedUsers.length} allowed user${info.allowedUsers.length === 1 ? '' : 's'}`
      : 'no allowed users configured (YTM_SLACK_ALLOWED_USERS)';
  const where = info.allowedChannels.length > 0 ? info.allowedChannels.map((c) => `<#${c}>`).join(', ') : 'any channel';
  return {
    type: 'home',
    blocks: [
      header('ytm-ops: storage health for the factory'),
      section(clip(`*Commands*\n${commands}`, SLACK_LIMITS.sectionText)),
      divider(),
      ...(info.status ? [...statusBlocks(info.status), divider()] : []),
      section(`*Last doctor*\n${doctor}`),
      context(
        `:desktop_computer: ${esc(info.host)}`,
        `who: ${esc(who)}${info.readonlyOpen ? ' (read-only commands open in allowed channels)' : ''}`,
        `where: ${where}`,
      ),
    ],
  };
}
