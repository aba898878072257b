import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { isInside } from './fs/contain.js';
import { isSecretEnvName } from './guard/env.js';
import { uploadRootProblems } from './upload-roots.js';

// Every variable ytm-ops reads, in one schema. Storage names keep the Python predecessor's names so an
// existing factory `.env` works unchanged. Values arrive as strings from the environment.

const TRUE_WORDS = ['1', 'true', 'yes', 'y', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'n', 'off', ''];

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const word = v.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      ctx.addIssue({
        code: 'custom',
        message: `expected one of ${[...TRUE_WORDS, ...FALSE_WORDS.slice(0, 5)].join('/')}`,
      });
      return z.NEVER;
    });

const num = (fallback: number, opts: { min?: number; max?: number; int?: boolean } = {}) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v.trim());
      const bad =
        !Number.isFinite(n) ||
        (opts.int && !Number.isInteger(n)) ||
        (opts.min !== undefined && n < opts.min) ||
        (opts.max !== undefined && n > opts.max);
      if (bad) {
        const range = [opts.min !== undefined ? `>= ${opts.min}` : '', opts.max !== undefined ? `<= ${opts.max}` : '']
          .filter(Boolean)
          .join(' and ');
        ctx.addIssue({ code: 'custom', message: `expected ${opts.int ? 'an integer' : 'a number'} ${range}`.trim() });
        return z.NEVER;
      }
      return n;
    });

const optPath = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return null;
    const p = expandHome(v.trim());
    if (!path.isAbsolute(p)) {
      ctx.addIssue({ code: 'custom', message: `expected an absolute path (or ~/…), got "${v}"` });
      return z.NEVER;
    }
    return path.normalize(p);
  });

const idList = (pattern: RegExp, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const items = (v ?? '').split(/[\s,]+/).filter(Boolean);
      const bad = items.filter((i) => !pattern.test(i));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${bad.map((b) => `"${b}"`).join(', ')}` });
        return z.NEVER;
      }
      return items;
    });

const optString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

/** An optional http(s) URL. The value is never echoed in the message: it may carry a token (a heartbeat URL). */
const optHttpUrl = (example: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return null;
      try {
        const u = new URL(v.trim());
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
        return u.href;
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected an http(s) URL such as ${example}` });
        return z.NEVER;
      }
    });

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

export const configSchema = z.object({
  // Storage and paths (python-ops-facts §2.1)
  YTM_REPO_ROOT: optPath,
  YTM_WORKSPACE_ROOT: optPath,
  YTM_PLANNING_ROOT: optPath,
  YTM_SHARED_STORAGE_ROOT: optPath,
  YTM_SHARED_STORAGE_NAMESPACE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return null;
      if (!/^[A-Za-z0-9._-]+$/.test(v.trim()) || v.trim() === '.' || v.trim() === '..') {
        ctx.addIssue({ code: 'custom', message: 'expected a single folder name (letters, digits, . _ -)' });
        return z.NEVER;
      }
      return v.trim();
    }),
  YTM_SHARED_STORAGE_MOUNT_REQUIRED: bool(true),
  YTM_SHARED_STORAGE_FALLBACK_ROOT: optPath,
  YTM_VAULT_WORKSPACES_ROOT: optPath,
  YTM_CAPCUT_DRAFT_ROOT: optPath,
  CAPCUT_DRAFT_ROOT: optPath,
  YTM_STATE_DIR: optPath,
  LLM_AGENT_QUEUE_DIR: optPath,
  // rsync (§2.2), read by lib/rsync/settings.ts. A timeout of 0 or less turns --timeout off, as in the predecessor.
  YTM_RSYNC_BIN: optString,
  YTM_RSYNC_WHOLE_FILE: bool(true),
  YTM_RSYNC_TIMEOUT_SEC: num(60, { int: true }),
  YTM_RSYNC_BWLIMIT_KBPS: num(0, { int: true, min: 0 }),
  // The mirror (jobs/mirror): rsync's niceness, the unattended delete limit (count and share of the vault's
  // files; over either one a scheduled run asks for approval instead), and the doctor's MIRROR_STALE line.
  YTM_MIRROR_NICE: num(10, { int: true, min: 0, max: 19 }),
  YTM_MIRROR_MAX_DELETE: num(1000, { int: true, min: 0 }),
  YTM_MIRROR_MAX_DELETE_PCT: num(20, { min: 0, max: 100 }),
  YTM_MIRROR_STALE_MIN: num(30, { min: 1 }),
  // `ytm vault`: the whole vault scan (in guarded children on the share) must finish within this budget; a scan
  // cut by it plans nothing. Keep it under YTM_SLACK_JOB_TIMEOUT_MS for /ytm vault.
  YTM_VAULT_SCAN_BUDGET_SEC: num(90, { min: 1, max: 3600 }),
  // Safety
  YTM_EMERGENCY_OVERRIDE: bool(false),
  // `archive published --exports`: exported MP4s on the share are included once they are older than this.
  YTM_EXPORT_RETENTION_HOURS: num(24, { min: 0 }),
  YTM_DISK_WARN_GIB: num(150, { min: 0 }),
  YTM_DISK_STOP_GIB: num(80, { min: 0 }),
  YTM_SHARE_PROBE_TIMEOUT_MS: num(3000, { int: true, min: 100, max: 60000 }),
  YTM_DOCTOR_BUDGET_SEC: num(20, { min: 1, max: 600 }),
  YTM_PLAN_TTL_MIN: num(30, { min: 0.01 }),
  YTM_TWO_PERSON_RULE: bool(false),
  YTM_DESTRUCTIVE_APPROVALS: num(1, { int: true, min: 1, max: 5 }),
  // Slack
  SLACK_BOT_TOKEN: optString,
  SLACK_APP_TOKEN: optString,
  SLACK_API_URL: optHttpUrl('https://slack.com/api/').transform((u) => (u === null || u.endsWith('/') ? u : `${u}/`)),
  YTM_SLACK_ALERT_CHANNEL: optString.pipe(
    z.union([z.null(), z.string().regex(CHANNEL_ID, 'expected a Slack channel ID such as C0123ABCD')]),
  ),
  YTM_SLACK_ALLOWED_USERS: idList(USER_ID, 'Slack user IDs such as U0123ABCD'),
  YTM_SLACK_APPROVERS: idList(USER_ID, 'Slack user IDs such as U0123ABCD'),
  YTM_SLACK_ALLOWED_CHANNELS: idList(CHANNEL_ID, 'Slack channel IDs such as C0123ABCD'),
  YTM_SLACK_TEAM_ID: optString,
  YTM_SLACK_READONLY_OPEN: bool(false),
  YTM_MONITOR_INTERVAL_SEC: num(60, { int: true, min: 1 }),
  // The bot's schedules (lib/schedule/manifest.ts) and its dead-man's switch (bot/heartbeat.ts).
  YTM_SCHEDULE_MANIFEST: optPath,
  YTM_HEARTBEAT_URL: optHttpUrl('https://hc-ping.com/<uuid>'),
  // Alerts (DESIGN "Alerts"): fire after N bad checks, clear after N good ones, remind every N minutes, disk
  // clears only this far above the line it crossed, the two silence lengths, and how often the monitor refreshes
  // the Hot checks with a full doctor run (0: never, it reads the newest doctor report only).
  YTM_ALERT_FOR_CHECKS: num(2, { int: true, min: 1, max: 100 }),
  YTM_ALERT_CLEAR_CHECKS: num(2, { int: true, min: 1, max: 100 }),
  YTM_ALERT_REPEAT_MIN: num(240, { min: 0.01 }),
  YTM_DISK_CLEAR_MARGIN_GIB: num(10, { min: 0 }),
  YTM_ALERT_SILENCE_SHORT_MIN: num(60, { min: 0.01 }),
  YTM_ALERT_SILENCE_LONG_MIN: num(1440, { min: 0.01 }),
  YTM_MONITOR_DOCTOR_EVERY_MIN: num(15, { min: 0 }),
  // Socket Mode tuning (anchors §3.1: long pings survive a busy event loop; a watchdog catches silent sockets)
  YTM_SLACK_CLIENT_PING_TIMEOUT_MS: num(15_000, { int: true, min: 100, max: 120_000 }),
  YTM_SLACK_SERVER_PING_TIMEOUT_MS: num(60_000, { int: true, min: 1_000, max: 600_000 }),
  YTM_SLACK_WATCHDOG_SILENCE_MS: num(30 * 60_000, { int: true, min: 0, max: 86_400_000 }),
  YTM_SLACK_WAKE_JUMP_MS: num(30_000, { int: true, min: 0, max: 3_600_000 }),
  YTM_SLACK_JOB_TIMEOUT_MS: num(120_000, { int: true, min: 1_000, max: 3_600_000 }),
  // Job children the bot runs at once: all kinds together, and of one kind (doctor, store, outbox, apply).
  YTM_SLACK_MAX_JOBS: num(4, { int: true, min: 1, max: 32 }),
  YTM_SLACK_MAX_JOBS_PER_KIND: num(2, { int: true, min: 1, max: 16 }),
  // Applying an approved plan copies real media (GiBs over SMB): it gets its own, much longer limit. It also
  // bounds each child of a terminal `--run`; fractions are allowed (0.05 = 3 s, for tests).
  YTM_APPLY_TIMEOUT_MIN: num(360, { min: 0.01, max: 2_880 }),
  // The node binary for job and guard children (lib/node-bin.ts); default: `node` on PATH, then this process's.
  YTM_NODE_BIN: optPath,
  // The bot's log file, rotated by size (lib/log-file.ts); unset: JSON logs on stderr.
  YTM_LOG_FILE: optPath,
  YTM_LOG_MAX_MB: num(10, { min: 0.01, max: 1024 }),
  YTM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
});

export type Config = z.output<typeof configSchema>;

export interface ConfigProblem {
  name: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/** YTM_* names read outside the schema (where .env is), or left by the predecessor and documented as ignored. */
const OTHER_YTM_NAMES = new Set(['YTM_ENV_FILE', 'YTM_MIRROR_NICE', 'YTM_ASSET_VAULT_ROOT']);

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * A YTM_* name nothing reads (a misspelling such as YTM_DISK_WARN=5 would otherwise be ignored without a word),
 * each with the closest known name.
 */
export function unknownVariableWarnings(names: Iterable<string>, where: (name: string) => string): ConfigProblem[] {
  const known = Object.keys(configSchema.shape);
  const out: ConfigProblem[] = [];
  for (const name of names) {
    if (!name.startsWith('YTM_') || name in configSchema.shape || OTHER_YTM_NAMES.has(name)) continue;
    const closest = known
      .map((k) => ({ k, d: editDistance(name, k) }))
      .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1))[0];
    const hint = closest && closest.d <= Math.max(4, Math.floor(name.length / 3)) ? `; did you mean ${closest.k}?` : '';
    out.push({ name, message: `unknown variable (in ${where(name)}), ignored${hint}` });
  }
  return out;
}

export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return path.join(homedir(), p.slice(2));
  return p;
}

/**
 * Reads `.env` (from YTM_ENV_FILE or the current directory) under the process environment: shell values win,
 * as with the predecessor's bootstrap. Returns every problem at once, by variable name.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  /** `warn`: where warnings (unknown YTM_* names) go; default: one line each on stderr. */
  opts: { requireSlack?: boolean; warn?: (w: ConfigProblem) => void } = {},
): ConfigResult {
  const envFile = env.YTM_ENV_FILE ?? path.join(cwd, '.env');
  let fileValues: Record<string, string> = {};
  if (existsSync(envFile)) {
    try {
      fileValues = parseDotenv(readFileSync(envFile));
    } catch (err) {
      return { ok: false, problems: [{ name: 'YTM_ENV_FILE', message: `cannot read ${envFile}: ${String(err)}` }] };
    }
  }
  const merged: Record<string, string | undefined> = { ...fileValues, ...env };
  const warn = opts.warn ?? ((w: ConfigProblem) => process.stderr.write(`ytm: warning: ${w.name}: ${w.message}\n`));
  for (const w of unknownVariableWarnings(Object.keys(merged), (n) => (n in env ? 'the environment' : envFile))) {
    warn(w);
  }
  // Only the bot itself (requireSlack) may hold Slack tokens. Every other process (a job child of the bot, a
  // terminal `ytm`, a guard child) drops secrets from the file and the environment, whoever started it.
  // SLACK_API_URL is an address, not a secret: it stays, so its problems are still reported.
  if (!opts.requireSlack) {
    for (const name of Object.keys(merged)) if (isSecretEnvName(name) && name !== 'SLACK_API_URL') delete merged[name];
  }
  const parsed = configSchema.safeParse(merged);
  // The bot's token checks run on the raw values too, so one start-up reports every problem at once.
  const tokens = opts.requireSlack ? slackProblems(merged) : [];
  if (!parsed.success) {
    return {
      ok: false,
      problems: [
        ...parsed.error.issues.map((i) => ({ name: String(i.path[0] ?? '(config)'), message: i.message })),
        ...tokens,
      ],
    };
  }
  const problems = [...crossChecks(parsed.data), ...tokens];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: parsed.data };
}

function crossChecks(c: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!c.YTM_WORKSPACE_ROOT && !c.YTM_REPO_ROOT) {
    problems.push({
      name: 'YTM_WORKSPACE_ROOT',
      message:
        'not set: point it at the factory workspace (e.g. ~/10_YouTube_Automation/factory_commentary/workspaces)',
    });
  }
  if (c.YTM_DISK_STOP_GIB > c.YTM_DISK_WARN_GIB) {
    problems.push({
      name: 'YTM_DISK_STOP_GIB',
      message: `must not exceed YTM_DISK_WARN_GIB (${c.YTM_DISK_STOP_GIB} > ${c.YTM_DISK_WARN_GIB})`,
    });
  }
  const share = c.YTM_SHARED_STORAGE_ROOT;
  if (share && c.YTM_STATE_DIR && isInside(share, c.YTM_STATE_DIR)) {
    problems.push({ name: 'YTM_STATE_DIR', message: 'must be on local disk, not under YTM_SHARED_STORAGE_ROOT' });
  }
  problems.push(...uploadRootProblems(c));
  return problems;
}

/** Variables the Slack bot needs on top of the storage ones; reported by name like the rest. */
export function slackProblems(c: {
  SLACK_BOT_TOKEN?: string | null;
  SLACK_APP_TOKEN?: string | null;
}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!c.SLACK_BOT_TOKEN?.trim().startsWith('xoxb-')) {
    problems.push({ name: 'SLACK_BOT_TOKEN', message: 'required for the bot: the Bot User OAuth Token (xoxb-…)' });
  }
  if (!c.SLACK_APP_TOKEN?.trim().startsWith('xapp-')) {
    problems.push({
      name: 'SLACK_APP_TOKEN',
      message: 'required for the bot: an app-level token with connections:write (xapp-…)',
    });
  }
  return problems;
}

export function formatProblems(problems: ConfigProblem[]): string {
  return ['Configuration problems:', ...problems.map((p) => `  ${p.name}: ${p.message}`)].join('\n');
}
