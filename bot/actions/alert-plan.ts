// "Plan mirror" / "Plan relink CHxx-NNN" on an alert: plans that command for the clicking user through the
// same path as typing it (access rules, dry-run child, plan card). Only these two commands are accepted from
// the button's value, so a crafted payload cannot plan anything else.
import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps.js';
import { ALERT_PLAN_ACTION } from '../views/alert.js';
import { registerPlanningButton } from './click.js';

const ACCEPTED = /^(mirror|relink CH\d{2}-\d{3})$/;

export function registerAlertPlanAction(app: App, deps: BotDeps): void {
  registerPlanningButton(app, deps, ALERT_PLAN_ACTION, 'button', async (click) =>
    ACCEPTED.test(click.planId)
      ? { words: click.planId.split(' ') }
      : { missing: ':x: This button does not name a plan I can make.' },
  );
}
