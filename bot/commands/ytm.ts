// `/ytm <words>`: parsed by the same grammar as the terminal. The ack goes out first, before any await on
// I/O: answers that need no job (help, usage errors, refusals, "not available yet") travel in the ack itself;
// a job gets a "checking…" ack and its result follows through the response_url.
import type { App, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type ParsedCommand, type ParseResult, parseCommandLine, tokenize } from '../../jobs/grammar.js';
import type { Requester } from '../access.js';
import { checkAccess } from '../access.js';
import { showRelinkCandidates } from '../actions/relink-candidates.js';
import type { AlertService } from '../alerts/service.js';
import { replyWithStatus } from '../alerts/status.js';
import { requestPlan } from '../approvals/plan-request.js';
import { audit, type BotDeps, refuse, track } from '../deps.js';
import { runDoctor } from '../doctor-run.js';
import { type ReplyTarget, reply } from '../reply.js';
import { auditView, isAuditListing } from '../views/audit.js';
import { helpView, plainView, usageErrorView, worksInSlack } from '../views/help.js';
import { type Block, clip, esc } from '../views/limits.js';
import { isOutboxListing, outboxListView } from '../views/outbox.js';
import { isPlansListing, plansView } from '../views/plans.js';
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
        ...helpView(typeof input.command === 'string' ? input.command : undefined, worksInSlack),
      });
      return;
    }
    if (spec.name === 'bot') {
      await ack({ response_type: 'ephemeral', ...plainView(`I am already running on \`${esc(deps.host)}\`.`) });
      return;
    }
    const render = spec.name === 'outbox' && input.action === 'flush' ? undefined : READ_ONLY_VIEWS[spec.name];
    if (render) {
      // Read-only listings (no plan, no approval): the answer follows through the response_url, to the asker only.
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: reading \`${spec.name}\`…${ignoredNote(parsed.command)}`,
      });
      audit(deps, 'slack.request', who.userId, {
        command: spec.name,
        channel: who.channelId ?? null,
        outcome: 'started',
      });
      const args = [spec.name, ...(typeof input.since === 'string' ? ['--since', input.since] : []), '--events'];
      const target = { responseUrl: command.response_url, channelId: who.channelId, userId: who.userId };
      track(deps, readOnly(deps, client, target, args, render));
      return;
    }
    if (spec.name === 'relink' && input.draft === undefined) {
      // Without --draft relink only lists candidates (read-only); each has a button that plans.
      await ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: looking for candidate drafts…' });
      audit(deps, 'slack.request', who.userId, {
        command: 'relink',
        channel: who.channelId ?? null,
        outcome: 'started',
      });
      const target = { responseUrl: command.response_url, channelId: who.channelId, userId: who.userId };
      track(deps, showRelinkCandidates(deps, client, target, String(input.episode)));
      return;
    }
    if (spec.mutates && spec.available) {
      // Slack never runs a mutating job directly: it plans (dry run), posts a card, and an approval runs it.
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: planning… (\`/ytm ${esc(clip(text, 200))}\`, dry run)${ignoredNote(parsed.command)}`,
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
          `:construction: \`/ytm ${spec.name}\` is for the terminal only (\`ytm ${spec.name}\`); \`/ytm help\` lists what works here.`,
        ),
      });
      return;
    }

    await ack({
      response_type: 'ephemeral',
      text: `:hourglass_flowing_sand: checking… (doctor on ${deps.host})${ignoredNote(parsed.command)}`,
    });
    audit(deps, 'slack.request', who.userId, { command: 'doctor', channel: who.channelId ?? null, outcome: 'started' });
    track(
      deps,
      runDoctor(deps, client, { responseUrl: command.response_url, channelId: who.channelId, userId: who.userId }),
    );
  });
}

type View = { text: string; blocks: Block[] };

/** Read-only commands Slack answers with a listing, each with its view of the job's result. */
const READ_ONLY_VIEWS: Record<string, (data: unknown) => View | null> = {
  outbox: (d) => (isOutboxListing(d) ? outboxListView(d) : null),
  plans: (d) => (isPlansListing(d) ? plansView(d) : null),
  audit: (d) => (isAuditListing(d) ? auditView(d) : null),
};

async function readOnly(
  deps: BotDeps,
  client: WebClient,
  target: ReplyTarget,
  args: string[],
  render: (data: unknown) => View | null,
): Promise<void> {
  const start = deps.jobs.run({ args, timeoutMs: deps.settings.jobTimeoutMs });
  const outcome = await start.done;
  const view = start.busy
    ? plainView(`:hourglass: ${start.busy}`)
    : (render(outcome.result) ??
      plainView(
        `:x: Could not read \`${args[0]}\` (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'}).`,
      ));
  await reply(client, target, view, { inChannel: false }, deps.log);
}

/** Options a terminal honours and Slack cannot: said, not silently dropped. */
function ignoredNote(cmd: ParsedCommand): string {
  const notes = [
    cmd.json
      ? `\`--json\` does nothing in Slack (you get a card); \`ytm ${cmd.spec.name} --json\` in a terminal prints JSON`
      : '',
    cmd.yes ? '`--yes` does nothing in Slack: the Approve button on the card is the confirmation' : '',
    cmd.events ? '`--events` does nothing in Slack' : '',
  ].filter(Boolean);
  return notes.length > 0 ? `\n:information_source: ${notes.join('; ')}.` : '';
}
