// "Silence 1 h" / "Silence 24 h" on an alert: holds its reminders (and, for an alert not posted yet, its post)
// until the silence ends; the message says so and the thread gets a notice now and when it ends. Silencing
// is an operator's act: the same access as running a command.
import type { App } from '@slack/bolt';
import type { AlertService } from '../alerts/service.js';
import { ALERT_KEYS, type AlertKey } from '../alerts/types.js';
import { tellClicker } from '../approvals/approve.js';
import { audit, type BotDeps } from '../deps.js';
import { ALERT_SILENCE_ACTIONS } from '../views/alert.js';
import { registerButton } from './click.js';

export function registerAlertSilenceAction(app: App, deps: BotDeps, alerts: AlertService): void {
  for (const length of ['short', 'long'] as const) {
    registerButton(app, deps, ALERT_SILENCE_ACTIONS[length], 'run', async (click, client) => {
      const key = click.planId;
      if (!ALERT_KEYS.includes(key as AlertKey)) {
        await tellClicker(deps, client, click, ':x: This button does not name an alert I know.');
        return;
      }
      const until = await alerts.setSilence(key as AlertKey, length, click.userId);
      await audit(deps, 'slack.alert_silenced', click.userId, { key, until });
      deps.log.info({ key, until, user: click.userId }, 'alert silenced');
    });
  }
}
