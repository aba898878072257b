// The schedule manifest (manifests/schedule.yaml, or the file YTM_SCHEDULE_MANIFEST names): which `ytm` words
// the bot runs on its own, when, within what time, how many at once, and whether a refused run asks a person.
// One zod schema; every problem is reported at once, named by job and field, as a configuration problem.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDetailed } from 'node-cron';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Config, ConfigProblem } from '../config.js';
import { compiledEntry } from '../guard/entry.js';

/** The one setting a schedule may name instead of a number of seconds. */
const INTERVAL_SETTING = 'YTM_MONITOR_INTERVAL_SEC';
/** The scheduler asks for NDJSON events itself: the manifest names the job's own words only. */
const OUTPUT_FLAGS = new Set(['--json', '--events']);

const JOB_NAME = /^[a-z][a-z0-9-]{0,39}$/;

const word = z
  .string()
  .min(1)
  .regex(/^[^\p{Cc}]+$/u, 'control characters are not allowed in a word');

const cronSchedule = z.object({ cron: z.string().min(1) }).strict();
const everySchedule = z
  .object({ everySec: z.union([z.number().int().positive(), z.literal(INTERVAL_SETTING)]) })
  .strict();

const jobSchema = z
  .object({
    command: z
      .array(word)
      .min(1)
      .refine((ws) => !ws.some((w) => OUTPUT_FLAGS.has(w)), 'drop --json/--events: the scheduler asks for events'),
    schedule: z.union([cronSchedule, everySchedule], {
      error: `expected { cron: "<expression>" } or { everySec: <seconds> | ${INTERVAL_SETTING} }`,
    }),
    timeoutSec: z.number().positive().max(86_400),
    /** Runs of this job at once; a tick over it is skipped and recorded. */
    concurrency: z.number().int().min(1).max(8).default(1),
    /** `none`: results are only recorded. `onRefusal`: a run refused with one of these codes posts its plan. */
    approval: z
      .union(
        [z.literal('none'), z.object({ onRefusal: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).min(1) }).strict()],
        {
          error: 'expected none or { onRefusal: [REFUSAL_CODE, …] }',
        },
      )
      .default('none'),
  })
  .strict();

export const ScheduleManifestSchema = z
  .object({
    version: z.literal(1),
    jobs: z.record(z.string(), jobSchema),
  })
  .strict();

export interface ScheduleEntry {
  name: string;
  /** `ytm` words, without output flags. */
  command: string[];
  /** node-cron expression (six fields when it came from everySec). */
  cron: string;
  /** As written, for people: `every 60 s` or `cron 0 3 * * *`. */
  schedule: string;
  timeoutMs: number;
  concurrency: number;
  /** Refusal codes whose plan is posted for approval; empty: never. */
  approvalOnRefusal: string[];
}

export type ManifestResult =
  | { ok: true; file: string; entries: ScheduleEntry[] }
  | { ok: false; problems: ConfigProblem[] };

export function defaultManifestFile(): string {
  // compiledEntry('.') is <repo>/dist both from source and from the build.
  return path.resolve(compiledEntry('.'), '..', 'manifests', 'schedule.yaml');
}

export function manifestFile(config: Config): string {
  return config.YTM_SCHEDULE_MANIFEST ?? defaultManifestFile();
}

/**
 * A cron expression that fires every `sec` seconds exactly, or undefined when cron cannot (45 s, 90 s, 7 min:
 * cron counts within the minute, hour and day, so the gap at the wrap would differ).
 */
export function everyToCron(sec: number): string | undefined {
  if (sec < 60 && 60 % sec === 0) return sec === 1 ? '* * * * * *' : `*/${sec} * * * * *`;
  const min = sec / 60;
  if (Number.isInteger(min) && min < 60 && 60 % min === 0) return `0 */${min} * * * *`;
  const hours = sec / 3600;
  if (Number.isInteger(hours) && hours <= 24 && 24 % hours === 0)
    return hours === 24 ? '0 0 0 * * *' : `0 0 */${hours} * * *`;
  return undefined;
}

const where = (file: string, at: (string | number | symbol)[]) =>
  `${file}: ${at.length > 0 ? at.map(String).join('.') : '(top level)'}`;

/** Validates a parsed manifest against the configuration (the interval setting is resolved here). */
export function resolveManifest(raw: unknown, config: Config, file: string): ManifestResult {
  const parsed = ScheduleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        name: 'YTM_SCHEDULE_MANIFEST',
        message: `${where(file, i.path)}: ${i.message}`,
      })),
    };
  }
  const problems: ConfigProblem[] = [];
  const entries: ScheduleEntry[] = [];
  for (const [name, job] of Object.entries(parsed.data.jobs)) {
    const problem = (field: string, message: string) =>
      problems.push({ name: 'YTM_SCHEDULE_MANIFEST', message: `${where(file, ['jobs', name, field])}: ${message}` });
    if (!JOB_NAME.test(name)) problem('(name)', 'a job name is a lower-case word (a-z, 0-9, -), at most 40 characters');
    let cron: string | undefined;
    let schedule: string;
    if ('cron' in job.schedule) {
      const check = validateDetailed(job.schedule.cron);
      if (!check.valid)
        problem(
          'schedule',
          `invalid cron expression "${job.schedule.cron}": ${check.errors.map((e) => e.message).join('; ')}`,
        );
      cron = job.schedule.cron;
      schedule = `cron ${cron}`;
    } else {
      const named = job.schedule.everySec === INTERVAL_SETTING;
      const sec = named ? config.YTM_MONITOR_INTERVAL_SEC : (job.schedule.everySec as number);
      cron = everyToCron(sec);
      schedule = `every ${sec} s${named ? ` (${INTERVAL_SETTING})` : ''}`;
      if (!cron) {
        problem(
          'schedule',
          `every ${sec} s${named ? ` (${INTERVAL_SETTING}=${sec})` : ''} cannot be kept by cron: use a divisor of 60 s, whole minutes dividing an hour, or hours dividing a day`,
        );
      }
    }
    entries.push({
      name,
      command: job.command,
      cron: cron ?? '',
      schedule,
      timeoutMs: job.timeoutSec * 1000,
      concurrency: job.concurrency,
      approvalOnRefusal: job.approval === 'none' ? [] : job.approval.onRefusal,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file, entries };
}

/** Reads and validates the manifest; an unreadable file or bad YAML is a problem like any other. */
export function loadScheduleManifest(config: Config): ManifestResult {
  const file = manifestFile(config);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, problems: [{ name: 'YTM_SCHEDULE_MANIFEST', message: `${file}: ${(err as Error).message}` }] };
  }
  return resolveManifest(raw, config, file);
}
