// App Home: what the bot can do, the status and the last doctor verdict, published whenever someone opens the
// Home tab.
import type { App } from '@slack/bolt';
import { checkAccess } from '../access.js';
import type { AlertService } from '../alerts/service.js';
import { gatherStatus } from '../alerts/status.js';
import { type BotDeps, refuse } from '../deps.js';
import { loadLastDoctor } from '../last-doctor.js';
import { homeView } from '../views/home.js';

export function registerAppHomeOpened(app: App, deps: BotDeps, alerts: AlertService): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    // The Home tab shows who may do what: not to another workspace (YTM_SLACK_TEAM_ID).
    const who = { userId: event.user, channelId: undefined, teamId: context.teamId };
    const decision = checkAccess(deps.policy, who, 'home');
    if (!decision.ok) {
      refuse(deps, who, 'app home', decision);
      return;
    }
    const view = homeView({
      host: deps.host,
      lastDoctor: await loadLastDoctor(deps.stateDir),
      allowedUsers: deps.policy.allowedUsers,
      allowedChannels: deps.policy.allowedChannels,
      readonlyOpen: deps.policy.readonlyOpen,
      status: await gatherStatus(deps, alerts),
    });
    await client.views.publish({ user_id: event.user, view: view as never });
    deps.log.info({ user: event.user }, 'app home published');
  });
}
