// "Run doctor again" on a doctor report: same access rules as `/ytm doctor`, a fresh report in the channel.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { checkAccess } from '../access.js';
import { audit, type BotDeps, refuse, track } from '../deps.js';
import { runDoctor } from '../doctor-run.js';
import { postToResponseUrl, reply } from '../reply.js';
import { DOCTOR_RERUN_ACTION } from '../views/doctor-report.js';
import { requesterOfAction } from './click.js';

export function registerDoctorRerunAction(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(DOCTOR_RERUN_ACTION, async ({ ack, body, client }) => {
    await ack();
    const who = requesterOfAction(body);
    const target = { responseUrl: body.response_url, channelId: who.channelId, userId: who.userId };
    const decision = checkAccess(deps.policy, who, false);
    if (!decision.ok) {
      const message = refuse(deps, who, 'button doctor.rerun', decision);
      track(deps, reply(client, target, { text: `:no_entry: ${message}` }, { inChannel: false }, deps.log));
      return;
    }
    audit(deps, 'slack.request', who.userId, {
      command: 'doctor',
      channel: who.channelId ?? null,
      outcome: 'started',
      via: 'button',
    });
    track(
      deps,
      (async () => {
        if (body.response_url) {
          await postToResponseUrl(
            body.response_url,
            {
              response_type: 'ephemeral',
              replace_original: false,
              text: `:hourglass_flowing_sand: checking… (doctor on ${deps.host})`,
            },
            deps.log,
          ).catch(() => {});
        }
        await runDoctor(deps, client, target);
      })(),
    );
  });
}
