// The browser sandbox's renderer is checked against every view the bot produces: each builder in bot/views/*.ts
// runs on realistic inputs (a generated workspace with every planted fault: the real `ytm doctor`, `monitor`,
// `relink`, `outbox`, `plans` and `audit` output, real store plans, alerts from the real alert machine), and
// each view must render with no unknown block type, show its key text, and stay inside Slack's limits.
// A builder added to bot/views without a case here fails the coverage test at the end.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionsOf } from '../../../bot/alerts/conditions.js';
import { step } from '../../../bot/alerts/machine.js';
import type { AlertRecord, Silence } from '../../../bot/alerts/types.js';
import { type LastDoctor, loadLastDoctor, saveLastDoctor } from '../../../bot/last-doctor.js';
import * as alertViews from '../../../bot/views/alert.js';
import * as auditViews from '../../../bot/views/audit.js';
import * as doctorViews from '../../../bot/views/doctor-report.js';
import * as helpViews from '../../../bot/views/help.js';
import * as homeViews from '../../../bot/views/home.js';
import type { Block } from '../../../bot/views/limits.js';
import * as outboxViews from '../../../bot/views/outbox.js';
import * as planCard from '../../../bot/views/plan-card.js';
import * as planStatus from '../../../bot/views/plan-status.js';
import * as plansViews from '../../../bot/views/plans.js';
import * as relinkViews from '../../../bot/views/relink.js';
import * as statusViews from '../../../bot/views/status.js';
import type { DoctorReport } from '../../../jobs/doctor/report.js';
import type { ApplySummary } from '../../../jobs/engine/types.js';
import type { MonitorSnapshot } from '../../../jobs/monitor/snapshot.js';
import type { RelinkListing } from '../../../jobs/relink/listing.js';
import { storeJob } from '../../../jobs/store/job.js';
import type { Plan } from '../../../lib/plan/types.js';
import { generateWorkspace } from '../../fixtures/workspace.js';
import { runCli } from '../../helpers/cli.js';
import { storedJobPlan, storeInput } from '../../jobs/support/engine.js';
import { checkMessage, checkView } from '../../slack/blocks-limits.js';
import { renderBlocksHtml } from './blockkit.js';

const VIEWS_DIR = fileURLToPath(new URL('../../../bot/views/', import.meta.url));
const T0 = Date.parse('2026-12-02T09:12:00Z');
const APPROVER = 'U0APPROVE1';
const REQUESTER = 'U0REQUESTER';
const lengths = { shortMin: 60, longMin: 1440 };
const alertSettings = { forChecks: 1, clearChecks: 1, repeatMs: 3_600_000, diskMarginBytes: 10 * 1024 ** 3 };

interface PlanOut {
  planId: string;
  plan: Plan;
}

/** What the generated workspace and the real commands give; built once for every case. */
interface Inputs {
  report: DoctorReport;
  lastDoctor: LastDoctor;
  monitor: MonitorSnapshot;
  relink: RelinkListing;
  outbox: outboxViews.OutboxListing;
  plans: plansViews.PlansListing;
  audit: auditViews.AuditListing;
  copyPlan: PlanOut;
  destructivePlan: PlanOut;
  refusedPlan: PlanOut;
  alerts: AlertRecord[];
  hung: AlertRecord;
  status: statusViews.StatusInfo;
}

let fx: Inputs;
let dir = '';

async function json<T>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await runCli([...args, '--json'], env);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`ytm ${args.join(' ')}: no JSON (exit ${r.exitCode}): ${r.stderr}`);
  }
}

/** Alerts the real machine fires on a snapshot (one check is enough with these settings). */
function fire(s: MonitorSnapshot): AlertRecord[] {
  const r = step({ alerts: {}, silences: {} }, conditionsOf(s, {}, alertSettings), T0, alertSettings);
  return r.events.flatMap((e) => (e.type === 'fired' ? [e.alert] : []));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-bk-views-'));
  const ws = await generateWorkspace({ dir, faults: true, shareState: 'up' });
  const env = ws.env;
  const report = await json<DoctorReport>(['doctor'], env);
  await saveLastDoctor(path.join(dir, 'bot-state'), report);
  const lastDoctor = (await loadLastDoctor(path.join(dir, 'bot-state'))) as LastDoctor;
  const monitor = await json<MonitorSnapshot>(['monitor'], env);
  const relinkEpisode = Object.keys(ws.details.draftCandidates)[0] as string;
  const relink = await json<RelinkListing>(['relink', relinkEpisode], env);
  const outbox = await json<outboxViews.OutboxListing>(['outbox'], env);

  // Store plans of posted episodes, as `/ytm store --episode …` makes them: a copy, a destructive
  // --symlink-back one that can be approved, and one the planner refuses.
  const plansOf = async (args: string[]) => {
    const out: (PlanOut & { episode: string })[] = [];
    for (const e of ws.details.episodes.filter((x) => x.postedCsv).slice(0, 12)) {
      out.push({ episode: e.id, ...(await json<PlanOut>(['store', '--episode', e.id, ...args], env)) });
    }
    return out;
  };
  const copies = await plansOf([]);
  const links = await plansOf(['--symlink-back']);
  const ok = (p: PlanOut) => p.plan.refusals.length === 0 && p.plan.actions.length > 0;
  const copyPlan = copies.find(ok);
  const destructivePlan = links.find((p) => ok(p) && p.plan.destructive);
  const refusedPlan = [...copies, ...links].find((p) => p.plan.refusals.length > 0);
  if (!copyPlan || !destructivePlan || !refusedPlan)
    throw new Error('the fixture gave no copy/destructive/refused plan');
  // Stored (and one approved) so `ytm plans` and `ytm audit` have something to list.
  await storedJobPlan(storeJob, env, storeInput({ episode: copyPlan.episode }));
  await storedJobPlan(storeJob, env, storeInput({ episode: destructivePlan.episode, mode: 'symlink-back' }), {
    approve: false,
  });
  const plans = await json<plansViews.PlansListing>(['plans'], env);
  const audit = await json<auditViews.AuditListing>(['audit'], env);

  // The alerts a bad morning fires: everything the fixture planted, the disk under its stop line, vault drift;
  // and the share hung with a probe child stuck on it.
  const bad: MonitorSnapshot = {
    ...monitor,
    checkedAt: new Date(T0).toISOString(),
    disk: { ...monitor.disk, freeBytes: 72 * 1024 ** 3, warnBytes: 150 * 1024 ** 3, stopBytes: 80 * 1024 ** 3 },
    drift: { created: 1200, updated: 340, deleted: 12, bytes: 5 * 1024 ** 3, measuredAt: new Date(T0).toISOString() },
  };
  const stuck = {
    root: ws.paths.share,
    op: 'statfs',
    pid: 4242,
    since: new Date(T0 - 600_000).toISOString(),
    procState: 'D',
  };
  const hungSnapshot: MonitorSnapshot = {
    ...bad,
    share: { state: 'hung', root: ws.paths.share, reason: 'statfs did not return in 5 s', stuckProbes: [stuck] },
  };
  const alerts = fire(bad);
  const hung = fire(hungSnapshot).find((a) => a.key === 'share');
  if (!hung) throw new Error('no share alert on a hung share');
  const status: statusViews.StatusInfo = {
    host: 'factory-mac.local',
    now: T0 + 3_600_000,
    alerts: [...alerts, { ...hung, phase: 'pending', bad: 1 }],
    silences: [{ key: 'mirror', until: new Date(T0 + 7_200_000).toISOString(), by: APPROVER, incident: null }],
    inhibited: ['outbox'],
    monitor: { checkedAt: hungSnapshot.checkedAt, share: hungSnapshot.share, mirror: ['last run failed (exit 23)'] },
    plans: plans.plans.map((p) => ({ ...p, requestedBy: REQUESTER })),
    jobs: [
      { pid: 5151, args: ['store', '--episode', copyPlan.episode, '--events'], startedAt: new Date(T0).toISOString() },
    ],
    doctor: { at: report.generatedAt, status: report.status },
    alertChannel: 'C0ALERTS',
  };
  fx = {
    report,
    lastDoctor,
    monitor,
    relink,
    outbox,
    plans,
    audit,
    copyPlan,
    destructivePlan,
    refusedPlan,
    alerts,
    hung,
    status,
  };
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

type View = { text?: string; blocks: Block[]; type?: string } | Block[];

interface Case {
  name: string;
  builder: unknown;
  view: () => View | null;
  /** Text a reader must see (after rendering, tags stripped). */
  shows: (fx: Inputs) => string[];
}

const card = (p: PlanOut, over: Partial<planCard.PlanCardInput> = {}) =>
  planCard.planCardView({
    planId: p.planId,
    plan: p.plan,
    requestedBy: REQUESTER,
    expiresAt: new Date(T0 + 1_800_000).toISOString(),
    approvers: [APPROVER, 'U0APPROVE2'],
    needed: 1,
    requesterExcluded: false,
    command: `store --episode ${(p.plan.input as { episode?: string }).episode}`,
    ...over,
  });

const rec = (p: PlanOut) => ({ planId: p.planId, plan: p.plan, requestedBy: REQUESTER });

/** An apply summary of `p` in `state`: the first action done, the second failed, the rest up to date. */
function summary(p: PlanOut, state: ApplySummary['state']): ApplySummary {
  const labels = planCard.actionLines(p.plan).map((l) => l.replace(/^• /, ''));
  const status = (i: number) => (state === 'succeeded' || i === 0 ? 'done' : i === 1 ? 'failed' : 'up_to_date');
  const outcomes = labels.map((label, i) => ({
    index: i,
    label,
    status: status(i),
    message: status(i) === 'failed' ? 'rsync exit 23: <partial transfer> & retry' : 'ok',
  })) as ApplySummary['outcomes'];
  const counts = { done: 0, up_to_date: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) counts[o.status]++;
  return {
    planId: p.planId,
    job: 'store',
    state,
    ...(state === 'succeeded' ? {} : { reason: 'one copy failed its SHA-256 check' }),
    outcomes,
    counts,
    report: '/Users/dd/ws/logs/ops/store/store__20261202T091200Z.json',
    exitCode: state === 'succeeded' ? 0 : 1,
  };
}

const headline = (key: AlertRecord['key']) => (f: Inputs) => {
  const a = f.alerts.find((x) => x.key === key);
  return a ? [alertViews.alertHeadline(a, T0)] : [`no ${key} alert fired`];
};
const alertOf = (key: AlertRecord['key']) => fx.alerts.find((a) => a.key === key) as AlertRecord;
const silence = (a: AlertRecord): Silence => ({
  key: a.key,
  until: new Date(T0 + 3_600_000).toISOString(),
  by: APPROVER,
  incident: a.incident,
});

const CASES: Case[] = [
  {
    name: 'doctor report with every planted finding',
    builder: doctorViews.doctorReportView,
    view: () => doctorViews.doctorReportView(fx.report, { requestedBy: REQUESTER }),
    shows: (f) => [
      'Storage has critical problems',
      ...f.report.findings.slice(0, 5).map((x) => x.code),
      '@U0REQUESTER',
      'Run doctor again',
    ],
  },
  {
    name: 'doctor report, healthy',
    builder: doctorViews.doctorReportView,
    view: () => doctorViews.doctorReportView({ ...fx.report, status: 'ok', exitCode: 0, findings: [] }),
    shows: () => ['Storage is healthy', 'No findings'],
  },
  {
    name: 'doctor failure',
    builder: doctorViews.doctorFailureView,
    view: () => doctorViews.doctorFailureView('timed out after 120 s', 'stat /Volumes/lenovo_share: <hung> & gave up'),
    shows: () => ['Doctor did not finish', 'timed out after 120 s', 'stat /Volumes/lenovo_share: <hung> & gave up'],
  },
  {
    name: 'plan card: copy, waiting for approval',
    builder: planCard.planCardView,
    view: () => card(fx.copyPlan),
    shows: (f) => [
      `Plan: ${planCard.planTitle(f.copyPlan.plan)}`,
      'The share is up',
      'Approve',
      'Cancel',
      '@U0APPROVE1',
    ],
  },
  {
    name: 'plan card: destructive, two-person rule, one approval so far (confirm dialog)',
    builder: planCard.planCardView,
    view: () => card(fx.destructivePlan, { needed: 2, requesterExcluded: true, approvedBy: [APPROVER] }),
    shows: () => ['Approve (destructive)', 'two-person rule is on', '1 of 2', '🚨 destructive'],
  },
  {
    name: 'plan card: refused',
    builder: planCard.planCardView,
    view: () => card(fx.refusedPlan, { expiresAt: undefined }),
    shows: (f) => [
      'Refused — this plan cannot be approved',
      f.refusedPlan.plan.refusals[0]?.code ?? '?',
      'not stored (refused)',
    ],
  },
  {
    name: 'plan card: no approvers configured',
    builder: planCard.planCardView,
    view: () => card(fx.copyPlan, { approvers: [] }),
    shows: () => ['no approvers are configured', 'YTM_SLACK_APPROVERS=U012ABCDEF,U034GHIJKL'],
  },
  {
    name: 'plan card: share down, files wait in the outbox',
    builder: planCard.planCardView,
    view: () => {
      const share = { ...(fx.copyPlan.plan.preconditions.share as object), state: 'stub', offline: true };
      return card({ ...fx.copyPlan, plan: { ...fx.copyPlan.plan, preconditions: { share } } });
    },
    shows: () => ['files will wait in the local outbox'],
  },
  {
    name: 'plan body blocks',
    builder: planCard.planBodyBlocks,
    view: () => planCard.planBodyBlocks(fx.copyPlan),
    shows: (f) => [f.copyPlan.plan.summary, `What happens to each file (${f.copyPlan.plan.actions.length})`],
  },
  {
    name: 'full action list in the thread',
    builder: planCard.fullListView,
    view: () => {
      const actions = Array.from({ length: 12 }, () => fx.copyPlan.plan.actions).flat();
      return planCard.fullListView({ ...fx.copyPlan.plan, actions });
    },
    shows: (f) => [planCard.actionLines(f.copyPlan.plan)[0]?.slice(0, 40) ?? '?'],
  },
  {
    name: 'running, with progress',
    builder: planStatus.runningView,
    view: () => planStatus.runningView(rec(fx.copyPlan), [APPROVER], 'copying 2 of 3 files (40 MiB of 120 MiB)'),
    shows: () => ['Approved by @U0APPROVE1, running…', 'copying 2 of 3 files'],
  },
  {
    name: 'result: succeeded',
    builder: planStatus.resultView,
    view: () => planStatus.resultView(rec(fx.copyPlan), summary(fx.copyPlan, 'succeeded'), [APPROVER]),
    shows: () => ['Done', 'copied and verified', 'store__20261202T091200Z.json'],
  },
  {
    name: 'result: partial',
    builder: planStatus.resultView,
    view: () =>
      planStatus.resultView(rec(fx.destructivePlan), summary(fx.destructivePlan, 'partial'), [APPROVER, 'U0APPROVE2']),
    shows: () => [
      'Partly done',
      'FAILED: rsync exit 23: <partial transfer> & retry',
      'one copy failed its SHA-256 check',
    ],
  },
  {
    name: 'result: stale',
    builder: planStatus.resultView,
    view: () =>
      planStatus.resultView(
        rec(fx.copyPlan),
        { ...summary(fx.copyPlan, 'stale'), reason: 'the source CH01/001/a.wav changed since the plan was made' },
        [APPROVER],
      ),
    shows: () => ['The source CH01/001/a.wav changed since the plan was made', 'Re-plan'],
  },
  {
    name: 'stale',
    builder: planStatus.staleView,
    view: () => planStatus.staleView(rec(fx.copyPlan)),
    shows: () => ['The plan is stale, nothing was done', 'Re-plan'],
  },
  {
    name: 'cancelled',
    builder: planStatus.cancelledView,
    view: () => planStatus.cancelledView(rec(fx.copyPlan), APPROVER),
    shows: () => ['Cancelled by @U0APPROVE1, not run.'],
  },
  {
    name: 'expired',
    builder: planStatus.expiredView,
    view: () => planStatus.expiredView({ ...rec(fx.copyPlan), expiresAt: '2026-12-02T09:42:00.000Z' }),
    shows: () => ['Expired, not run (the approval window closed at 2026-12-02T09:42:00.000Z)'],
  },
  {
    name: 'interrupted',
    builder: planStatus.interruptedView,
    view: () => planStatus.interruptedView(rec(fx.copyPlan), '1 of 3 copied and verified'),
    shows: () => ['Interrupted', 'What was done: 1 of 3 copied and verified.'],
  },
  {
    name: 'failed to run',
    builder: planStatus.failedToRunView,
    view: () => planStatus.failedToRunView(rec(fx.copyPlan), 'ytm exited 1', 'Error: EACCES <x> & `y`'),
    shows: () => ['Could not run the plan', "Error: EACCES <x> & 'y'"],
  },
  ...(['share', 'disk', 'mirror', 'drift', 'planning', 'outbox', 'hot'] as const).map(
    (key): Case => ({
      name: `alert firing: ${key}`,
      builder: alertViews.alertView,
      view: () => {
        const a = key === 'share' ? fx.hung : alertOf(key);
        return a ? alertViews.alertView(a, { silence: null, lengths, now: T0 }) : null;
      },
      shows: (f) =>
        key === 'share' ? ['Share hung since', 'Silence 1 h', 'Silence 24 h'] : [...headline(key)(f), 'Silence 1 h'],
    }),
  ),
  {
    name: 'alert firing under a silence',
    builder: alertViews.alertView,
    view: () => alertViews.alertView(alertOf('disk'), { silence: silence(alertOf('disk')), lengths, now: T0 }),
    shows: () => ['💤 silenced until', '@U0APPROVE1', 'since 09:12 UTC'],
  },
  {
    name: 'alert resolved',
    builder: alertViews.resolvedView,
    view: () => alertViews.resolvedView(alertOf('disk'), new Date(T0 + 5_400_000).toISOString()),
    shows: (f) => [...headline('disk')(f), 'resolved 10:42 UTC'],
  },
  {
    name: 'resolved reply',
    builder: alertViews.resolvedReply,
    view: () => alertViews.resolvedReply(alertOf('outbox'), new Date(T0 + 5_400_000).toISOString()),
    shows: () => ['resolved after'],
  },
  {
    name: 'reminder reply',
    builder: alertViews.reminderReply,
    view: () => alertViews.reminderReply(alertOf('hot'), T0 + 3_600_000),
    shows: () => ['Still firing after', 'Hot episode'],
  },
  {
    name: 'escalation reply',
    builder: alertViews.escalationReply,
    view: () => alertViews.escalationReply(alertOf('disk'), T0),
    shows: () => ['Escalated: Disk:'],
  },
  {
    name: 'silenced reply',
    builder: alertViews.silencedReply,
    view: () => alertViews.silencedReply(silence(alertOf('mirror')), 60),
    shows: () => ['Silenced for 1 h by @U0APPROVE1'],
  },
  {
    name: 'silence ended, still firing',
    builder: alertViews.silenceEndedNotice,
    view: () => alertViews.silenceEndedNotice(silence(alertOf('mirror')), alertOf('mirror'), T0),
    shows: () => ['Silence ended: still firing, Mirror'],
  },
  {
    name: 'silence ended, not firing',
    builder: alertViews.silenceEndedNotice,
    view: () => alertViews.silenceEndedNotice(silence(alertOf('mirror')), null, T0),
    shows: () => ['Silence on the mirror alert ended; it is not firing.'],
  },
  {
    name: 'outbox with pending files',
    builder: outboxViews.outboxListView,
    view: () => outboxViews.outboxListView(fx.outbox),
    shows: (f) => [`${f.outbox.count} file(s)`, f.outbox.files[0]?.rel ?? '?', '/ytm outbox flush'],
  },
  {
    name: 'outbox empty',
    builder: outboxViews.outboxListView,
    view: () => outboxViews.outboxListView({ ...fx.outbox, files: [], count: 0, totalBytes: 0 }),
    shows: () => ['✅ The outbox is empty'],
  },
  {
    name: 'relink candidates',
    builder: relinkViews.relinkCandidatesView,
    view: () => relinkViews.relinkCandidatesView(fx.relink),
    shows: (f) => [
      `Relink ${f.relink.episode}`,
      'Candidate drafts, newest first',
      ...(f.relink.candidates[0] ? [f.relink.candidates[0].name] : []),
    ],
  },
  {
    name: 'relink: no run',
    builder: relinkViews.relinkCandidatesView,
    view: () => relinkViews.relinkCandidatesView({ ...fx.relink, run: null, candidates: [], totalCandidates: 0 }),
    shows: (f) => [`${f.relink.episode} has no video run`],
  },
  {
    name: 'plans listing',
    builder: plansViews.plansView,
    view: () => plansViews.plansView(fx.plans),
    shows: (f) => [`Plans (${f.plans.plans.length})`, ...f.plans.plans.map((p) => p.shortId)],
  },
  {
    name: 'plans: none',
    builder: plansViews.plansView,
    view: () => plansViews.plansView({ plans: [], invalid: [] }),
    shows: () => ['No plans are stored.'],
  },
  {
    name: 'audit log',
    builder: auditViews.auditView,
    view: () => auditViews.auditView(fx.audit),
    shows: (f) => ['audit chain OK', `(${f.audit.verification.lines} line(s))`, 'Newest first'],
  },
  {
    name: 'audit log, chain broken',
    builder: auditViews.auditView,
    view: () =>
      auditViews.auditView({
        ...fx.audit,
        verification: {
          ...fx.audit.verification,
          ok: false,
          problems: [{ line: 2, seq: 1, reason: 'hash <mismatch>' }],
        },
      }),
    shows: () => ['audit chain BROKEN', 'line 2 (seq 1): hash <mismatch>'],
  },
  {
    name: 'status',
    builder: statusViews.statusView,
    view: () => statusViews.statusView(fx.status),
    shows: (f) => [
      'ytm status on factory-mac.local',
      ...headline('disk')(f),
      'pending (1 bad check)',
      'held back while the share is down',
      'pid 4242 statfs',
      'alerts go to #C0ALERTS',
    ],
  },
  {
    name: 'status blocks',
    builder: statusViews.statusBlocks,
    view: () =>
      statusViews.statusBlocks({
        ...fx.status,
        alerts: [],
        silences: [],
        inhibited: [],
        plans: [],
        jobs: [],
        monitor: null,
        doctor: null,
      }),
    shows: () => ['none firing', 'no monitor check yet', 'no doctor run yet'],
  },
  {
    name: 'help',
    builder: helpViews.helpView,
    view: () => helpViews.helpView(undefined, helpViews.worksInSlack),
    shows: () => ['Commands:', 'doctor    storage health', '/ytm help <command>'],
  },
  {
    name: 'help for a command',
    builder: helpViews.helpView,
    view: () => helpViews.helpView('store'),
    shows: () => ['/ytm store <path>'],
  },
  {
    name: 'usage error',
    builder: helpViews.usageErrorView,
    view: () =>
      helpViews.usageErrorView('unknown option --epsiode', { command: 'store', suggestion: 'store --episode' }),
    shows: () => ['⚠️ unknown option --epsiode', 'Did you mean /ytm store --episode?', 'Usage of store:'],
  },
  {
    name: 'plain answer',
    builder: helpViews.plainView,
    view: () => helpViews.plainView(':construction: `/ytm bot` is not available in Slack'),
    shows: () => ['🚧 /ytm bot is not available in Slack'],
  },
  {
    name: 'App Home with status and the last doctor',
    builder: homeViews.homeView,
    view: () =>
      homeViews.homeView({
        host: 'factory-mac.local',
        lastDoctor: fx.lastDoctor,
        allowedUsers: [APPROVER, REQUESTER],
        allowedChannels: ['C0OPS'],
        readonlyOpen: true,
        status: fx.status,
      }),
    shows: () => ['ytm-ops: storage health for the factory', '/ytm doctor', 'critical on', 'Silences', 'where: #C0OPS'],
  },
  {
    name: 'App Home, first start',
    builder: homeViews.homeView,
    view: () =>
      homeViews.homeView({ host: 'm', lastDoctor: null, allowedUsers: [], allowedChannels: [], readonlyOpen: false }),
    shows: () => ['No doctor run yet', 'no allowed users configured'],
  },
];

/** What a reader sees: tags removed, HTML entities decoded. */
function visibleText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return html
    .replace(/<br>|<\/(div|pre|h3|blockquote)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => entities[e] as string);
}

describe('every bot view renders in the browser sandbox', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const view = c.view();
    if (view === null) throw new Error(`${c.name}: the inputs gave no view`);
    const blocks = Array.isArray(view) ? view : view.blocks;
    const text = Array.isArray(view) ? undefined : view.text;
    const rendered = renderBlocksHtml(blocks, text);
    expect(rendered.problems).toEqual([]);
    expect(rendered.html).not.toContain('bk-unknown');
    const seen = visibleText(rendered.html);
    for (const s of c.shows(fx)) expect(seen).toContain(s);
    // Slack's own limits on the same blocks: a home tab is a view, everything else a message.
    const limits =
      !Array.isArray(view) && view.type === 'home' ? checkView(view) : checkMessage({ text: text ?? 'x', blocks });
    expect(limits).toBeUndefined();
  });

  it('buttons keep what the page needs: action id, value, block id and the confirm dialog of a destructive plan', () => {
    const v = card(fx.destructivePlan, { needed: 2, requesterExcluded: true });
    const html = renderBlocksHtml(v.blocks).html;
    const approve = /<button [^>]*data-action-id="plan\.approve"[^>]*>/.exec(html)?.[0] ?? '';
    expect(approve).toContain('class="bk-button bk-button--danger"');
    expect(approve).toContain(`data-value="${fx.destructivePlan.planId}"`);
    expect(approve).toMatch(/data-block-id="plan\.[0-9a-f]+"/);
    const confirm = /data-confirm="([^"]*)"/.exec(approve)?.[1] ?? '';
    const actions = v.blocks.find((b) => b.type === 'actions');
    const button = (actions?.elements as Block[] | undefined)?.[0];
    expect(JSON.parse(visibleText(confirm))).toEqual(button?.confirm);
    const relink = renderBlocksHtml(relinkViews.relinkCandidatesView(fx.relink).blocks).html;
    expect(relink).toMatch(/data-action-id="relink\.use_draft" data-value="\{&quot;e&quot;:/);
  });
});

describe('coverage', () => {
  // Exports of bot/views that are not views: words, predicates and lookups the views (and the bot) use.
  const NOT_VIEWS = new Set<unknown>([
    alertViews.clock,
    alertViews.alertHeadline,
    alertViews.silenceLabel,
    auditViews.isAuditListing,
    doctorViews.formatBytes,
    doctorViews.verdictLine,
    helpViews.worksInSlack,
    outboxViews.isOutboxListing,
    planCard.planTitle,
    planCard.actionLines,
    planCard.destinationLine,
    planCard.destructiveSummary,
    planCard.fitCard,
    plansViews.isPlansListing,
  ]);

  it('every view builder in bot/views has a case above (limits.ts holds the block primitives)', async () => {
    const covered = new Set(CASES.map((c) => c.builder));
    const files = readdirSync(VIEWS_DIR).filter((f) => f.endsWith('.ts') && f !== 'limits.ts');
    expect(files).toContain('plan-card.ts');
    const uncovered: string[] = [];
    for (const f of files) {
      const mod = (await import(pathToFileURL(path.join(VIEWS_DIR, f)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === 'function' && !covered.has(value) && !NOT_VIEWS.has(value))
          uncovered.push(`${f}: ${name}`);
      }
    }
    expect(uncovered).toEqual([]);
  });
});
