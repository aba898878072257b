// `/ytm <words>`: parsed by the same grammar as the terminal. The ack goes out first, before any await on
// I/O: answers that need no job (help, usage errors, refusals, "not available yet") travel in the ack itself;
// a job gets a "checking…" ack and its result follows through the response_url.
import type { App, SlashCommand } from '@slack/bolt';
import { type ParseResult, parseCommandLine, tokenize } from '../../jobs/grammar.js';
import type { Requester } from '../access.js';
import { checkAccess } from '../access.js';
import { audit, type BotDeps, refuse, track } from '../deps.js';
import { runDoctor } from '../doctor-run.js';
import { helpView, plainView, usageErrorView } from '../views/help.js';
import { esc } from '../views/limits.js';

/** The longest `/ytm` text we look at; Slack itself caps slash command text well below this. */
const MAX_TEXT = 4000;

export function requesterOf(cmd: SlashCommand): Requester {
  return { userId: cmd.user_id, channelId: cmd.channel_id, teamId: cmd.team_id };
}

export function registerYtmCommand(app: App, deps: BotDeps): void {
  app.command('/ytm', async ({ command, ack, client }) => {
    const who = requesterOf(command);
    const text = command.text ?? '';
    const parsed: ParseResult =
      text.length > MAX_TEXT
        ? { ok: false, error: `the command is too long (${text.length} characters; at most ${MAX_TEXT})` }
        : parseCommandLine(tokenize(text));
    const mutates = parsed.ok ? parsed.command.spec.mutates : false;
    const decision = checkAccess(deps.policy, who, mutates);

    if (!decision.ok) {
      await ack({
        response_type: 'ephemeral',
        text: `:no_entry: ${refuse(deps, who, `/ytm ${text.slice(0, 200)}`, decision)}`,
      });
      return;
    }
    if (!parsed.ok) {
      const view = usageErrorView(parsed.error, {
        ...(parsed.command ? { command: parsed.command } : {}),
        ...(parsed.suggestion ? { suggestion: parsed.suggestion } : {}),
      });
      await ack({ response_type: 'ephemeral', ...view });
      deps.log.info({ user: who.userId, error: parsed.error }, '/ytm usage error');
      return;
    }

    const { spec, input } = parsed.command;
    if (spec.name === 'help') {
      await ack({
        response_type: 'ephemeral',
        ...helpView(typeof input.command === 'string' ? input.command : undefined),
      });
      return;
    }
    if (spec.name === 'bot') {
      await ack({ response_type: 'ephemeral', ...plainView(`I am already running on \`${esc(deps.host)}\`.`) });
      return;
    }
    if (spec.mutates || !spec.available) {
      // Mutating jobs need the approval flow, which Slack does not have yet; unbuilt jobs say so by name.
      const why = !spec.mutates
        ? 'yet.'
        : spec.available
          ? `in Slack yet: changes need an approval card, and that flow is not built yet. In a terminal, \`ytm ${spec.name} …\` plans it dry-run.`
          : 'yet (in Slack it will come with an approval card).';
      await ack({
        response_type: 'ephemeral',
        ...plainView(`:construction: \`/ytm ${spec.name}\` is not available ${why}`),
      });
      audit(deps, 'slack.request', who.userId, {
        command: spec.name,
        channel: who.channelId ?? null,
        outcome: 'not_available',
      });
      return;
    }
    if (spec.name !== 'doctor') {
      await ack({
        response_type: 'ephemeral',
        ...plainView(
          `:construction: \`/ytm ${spec.name}\` works in the terminal (\`ytm ${spec.name}\`) but is not wired into Slack yet.`,
        ),
      });
      return;
    }

    await ack({ response_type: 'ephemeral', text: `:hourglass_flowing_sand: checking… (doctor on ${deps.host})` });
    audit(deps, 'slack.request', who.userId, { command: 'doctor', channel: who.channelId ?? null, outcome: 'started' });
    track(
      deps,
      runDoctor(deps, client, { responseUrl: command.response_url, channelId: who.channelId, userId: who.userId }),
    );
  });
}
