// What `/ytm status` and App Home show, gathered in the bot from its own state (no share access, no child):
// the alert store (firing alerts, silences, the last monitor snapshot with its stuck probes and mirror
// findings), the plans waiting or running, the job children running now and the last doctor verdict.
import type { WebClient } from '@slack/web-api';
import { listPlans } from '../../lib/approvals/store.js';
import { shortId } from '../../lib/plan/id.js';
import type { BotDeps } from '../deps.js';
import { loadLastDoctor } from '../last-doctor.js';
import { type ReplyTarget, reply } from '../reply.js';
import { type StatusInfo, statusView } from '../views/status.js';
import type { AlertService } from './service.js';

export async function gatherStatus(deps: BotDeps, alerts: AlertService, now = Date.now()): Promise<StatusInfo> {
  const [store, plans, lastDoctor] = await Promise.all([
    alerts.snapshotState(),
    listPlans(deps.stateDir, { states: ['awaiting_approval', 'approved', 'running'] }),
    loadLastDoctor(deps.stateDir),
  ]);
  const snap = store.lastSnapshot;
  // The newer of the doctor run the bot posted and the one the monitor ran or read.
  const doctor =
    snap?.doctor && (!lastDoctor || snap.doctor.generatedAt > lastDoctor.generatedAt)
      ? { at: snap.doctor.generatedAt, status: snap.doctor.status }
      : lastDoctor
        ? { at: lastDoctor.generatedAt, status: lastDoctor.status }
        : null;
  return {
    host: deps.host,
    now,
    alerts: Object.values(store.machine.alerts).filter((a) => a !== undefined),
    silences: Object.values(store.machine.silences).filter((s) => s !== undefined),
    inhibited: store.inhibited,
    monitor: snap
      ? {
          checkedAt: snap.checkedAt,
          share: snap.share,
          mirror: snap.findings.filter((f) => f.code.startsWith('MIRROR_')).map((f) => f.message),
        }
      : null,
    plans: plans.map((p) => ({
      shortId: shortId(p.planId),
      state: p.state,
      job: p.plan.job,
      summary: p.plan.summary,
      requestedBy: p.requestedBy,
    })),
    jobs: deps.jobs.list(),
    doctor,
    alertChannel: deps.config.YTM_SLACK_ALERT_CHANNEL,
  };
}

/** `/ytm status`: the status, answered to the asker only. */
export async function replyWithStatus(
  deps: BotDeps,
  alerts: AlertService,
  client: WebClient,
  target: ReplyTarget,
): Promise<void> {
  await reply(client, target, statusView(await gatherStatus(deps, alerts)), { inChannel: false }, deps.log);
}
