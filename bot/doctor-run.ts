// Runs `ytm doctor --json --events` in a child and posts the report (or what went wrong) back to Slack.
// Shared by `/ytm doctor` and the "Run doctor again" button.
import type { WebClient } from '@slack/web-api';
import type { DoctorReport } from '../jobs/doctor/report.js';
import { scrubSecrets } from '../lib/log.js';
import type { BotDeps } from './deps.js';
import { saveLastDoctor } from './last-doctor.js';
import { type ReplyTarget, reply } from './reply.js';
import { doctorFailureView, doctorReportView } from './views/doctor-report.js';
import { plainView } from './views/help.js';

export function isDoctorReport(v: unknown): v is DoctorReport {
  if (!v || typeof v !== 'object') return false;
  const r = v as Partial<DoctorReport>;
  return r.schema === 'ytm.ops.doctor.v1' && Array.isArray(r.findings) && typeof r.status === 'string';
}

export function doctorTimeoutMs(deps: BotDeps): number {
  // The doctor has its own budget; give it that plus room to start, scan and write its report.
  return Math.min(deps.settings.jobTimeoutMs, deps.config.YTM_DOCTOR_BUDGET_SEC * 1000 + 15_000);
}

export async function runDoctor(deps: BotDeps, client: WebClient, target: ReplyTarget): Promise<void> {
  // One doctor at a time: a request (or "Run doctor again" click) while one runs gets that run's report too.
  const start = deps.jobs.runShared({ args: ['doctor', '--json', '--events'], timeoutMs: doctorTimeoutMs(deps) });
  if (start.busy) {
    await reply(client, target, plainView(`:hourglass: ${start.busy}`), { inChannel: false }, deps.log);
    return;
  }
  const outcome = await start.done;
  let view: { text: string; blocks: unknown[] };
  if (isDoctorReport(outcome.result)) {
    view = doctorReportView(outcome.result, { requestedBy: target.userId });
    await saveLastDoctor(deps.stateDir, outcome.result).catch((err: unknown) =>
      deps.log.warn({ err: (err as Error).message }, 'could not save the last doctor verdict'),
    );
  } else {
    const what =
      outcome.status === 'timeout'
        ? `it did not finish within ${Math.round(doctorTimeoutMs(deps) / 1000)} s and was stopped`
        : outcome.status === 'cancelled'
          ? 'it was cancelled (the bot is shutting down)'
          : outcome.status === 'spawn_failed'
            ? 'the ytm command could not be started (is the project built? `npm run build`)'
            : `it exited with code ${outcome.exitCode ?? outcome.signal ?? 'unknown'} without a report`;
    view = doctorFailureView(what, scrubSecrets(outcome.stderrTail.trim().split('\n').slice(-15).join('\n')));
  }
  const via = await reply(client, target, view, { inChannel: true }, deps.log);
  deps.log.info(
    { user: target.userId, channel: target.channelId, via, status: outcome.status, shared: start.shared === true },
    'doctor report posted',
  );
}
