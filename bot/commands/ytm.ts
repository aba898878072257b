// `/ytm <words>`: parsed by the same grammar as the terminal. The ack goes out first, before any await on
// I/O: answers that need no job (help, usage errors, refusals, "not available yet") travel in the ack itself;
// a job gets a "checking…" ack and its result follows through the response_url.
import type { App, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type ParseResult, parseCommandLine, tokenize } from '../../jobs/grammar.js';
import type { Requester } from '../access.js';
import { checkAccess } from '../access.js';
import type { AlertService } from '../alerts/service.js';
import { replyWithStatus } from '../alerts/status.js';
import { requestPlan } from '../approvals/plan-request.js';
import { audit, type BotDeps, refuse, track } from '../deps.js';
import { runDoctor } from '../doctor-run.js';
import { type ReplyTarget, reply } from '../reply.js';
import { helpView, plainView, usageErrorView } from '../views/help.js';
import { clip, esc } from '../views/limits.js';
import { isOutboxListing, outboxListView } from '../views/outbox.js';
import { controlCharacterProblem } from './control-chars.js';

/** The longest `/ytm` text we look at; Slack itself caps slash command text well below this. */
const MAX_TEXT = 4000;

export function requesterOf(cmd: SlashCommand): Requester {
  return { userId: cmd.user_id, channelId: cmd.channel_id, teamId: cmd.team_id };
}

export function registerYtmCommand(app: App, deps: BotDeps, alerts: AlertService): void {
  app.command('/ytm', async ({ command, ack, client }) => {
    const who = requesterOf(command);
    const text = command.text ?? '';
    const unreadable = controlCharacterProblem(text);
    const parsed: ParseResult =
      text.length > MAX_TEXT
        ? { ok: false, error: `the command is too long (${text.length} characters; at most ${MAX_TEXT})` }
        : unreadable
          ? { ok: false, error: unreadable }
          : parseCommandLine(tokenize(text));
    const mutates = parsed.ok ? parsed.command.spec.mutates : false;
    const decision = checkAccess(deps.policy, who, mutates ? 'run' : 'read');

    if (!decision.ok) {
      await ack({
        response_type: 'ephemeral',
        text: `:no_entry: ${refuse(deps, who, `/ytm ${text.slice(0, 200)}`, decision).message}`,
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
    if (spec.name === 'outbox' && input.action !== 'flush') {
      // The listing is read-only (no plan, no approval): its answer follows through the response_url.
      await ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: listing the outbox…' });
      audit(deps, 'slack.request', who.userId, {
        command: 'outbox',
        channel: who.channelId ?? null,
        outcome: 'started',
      });
      track(
        deps,
        listOutbox(deps, client, { responseUrl: command.response_url, channelId: who.channelId, userId: who.userId }),
      );
      return;
    }
    if (spec.mutates && spec.available) {
      // Slack never runs a mutating job directly: it plans (dry run), posts a card, and an approval runs it.
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: planning… (\`/ytm ${esc(clip(text, 200))}\`, dry run)`,
      });
      track(
        deps,
        requestPlan(deps, client, {
          words: tokenize(text),
          userId: who.userId,
          channelId: who.channelId,
          responseUrl: command.response_url,
          via: 'slash',
        }),
      );
      return;
    }
    if (!spec.available) {
      const why = spec.mutates ? 'yet (in Slack it will come with an approval card).' : 'yet.';
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
    if (spec.name === 'status') {
      // Read from the bot's own state (alerts, plans, jobs): no child, no share access.
      await ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: gathering the status…' });
      audit(deps, 'slack.request', who.userId, {
        command: 'status',
        channel: who.channelId ?? null,
        outcome: 'started',
      });
      track(
        deps,
        replyWithStatus(deps, alerts, client, {
          responseUrl: command.response_url,
          channelId: who.channelId,
          userId: who.userId,
        }),
      );
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

async function listOutbox(deps: BotDeps, client: WebClient, target: ReplyTarget): Promise<void> {
  const start = deps.jobs.run({ args: ['outbox', '--events'], timeoutMs: deps.settings.jobTimeoutMs });
  const outcome = await start.done;
  const view = start.busy
    ? plainView(`:hourglass: ${start.busy}`)
    : isOutboxListing(outcome.result)
      ? outboxListView(outcome.result)
      : plainView(
          `:x: Could not list the outbox (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'}).`,
        );
  await reply(client, target, view, { inChannel: false }, deps.log);
}
