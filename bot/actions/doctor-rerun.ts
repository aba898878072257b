// "Run doctor again" on a doctor report: same access rules as `/ytm doctor`, a fresh report in the channel.
import type { App } from '@slack/bolt';
import { audit, type BotDeps } from '../deps.js';
import { runDoctor } from '../doctor-run.js';
import { postToResponseUrl } from '../reply.js';
import { DOCTOR_RERUN_ACTION } from '../views/doctor-report.js';
import { registerButton } from './click.js';

export function registerDoctorRerunAction(app: App, deps: BotDeps): void {
  registerButton(app, deps, DOCTOR_RERUN_ACTION, 'read', async (click, client) => {
    audit(deps, 'slack.request', click.userId, {
      command: 'doctor',
      channel: click.channelId ?? null,
      outcome: 'started',
      via: 'button',
    });
    if (click.responseUrl) {
      await postToResponseUrl(
        click.responseUrl,
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: `:hourglass_flowing_sand: checking… (doctor on ${deps.host})`,
        },
        deps.log,
      ).catch(() => {});
    }
    await runDoctor(deps, client, { responseUrl: click.responseUrl, channelId: click.channelId, userId: click.userId });
  });
}
