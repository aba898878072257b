import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { normalizeEpisodeId } from '../lib/planning/episode.js';
import { isStoreKind, STORE_KINDS } from './store/kinds.js';

// The one grammar for `ytm <words>` in a terminal and `/ytm <words>` in Slack (DESIGN: "one parser, one set
// of zod schemas"). Each command declares its flags for node:util parseArgs and a zod schema that turns the
// parsed words into the job's input. Nothing here touches the file system.

type Options = NonNullable<ParseArgsConfig['options']>;

const EPISODE = /^CH\d{1,2}-\d{1,3}$/i;
const CHANNEL = /^CH\d{1,2}$/i;
const VIDEO = /^\d{1,3}$/;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const EPISODE_ACCEPTED = 'expected an episode id like CH02-043 (channel CH01…CH99, video 001…999)';
export const episodeArg = z
  .string()
  .regex(EPISODE, EPISODE_ACCEPTED)
  // CH00 and video 000 fit the pattern but name no episode.
  .refine((v) => normalizeEpisodeId(v) !== null, EPISODE_ACCEPTED)
  .transform((v) => normalizeEpisodeId(v) as string);
export const channelArg = z
  .string()
  .regex(CHANNEL, 'expected a channel like CH02')
  .transform((v) => `CH${v.slice(2).padStart(2, '0')}`);
export const videoArg = z
  .string()
  .regex(VIDEO, 'expected a video number like 043')
  .transform((v) => v.padStart(3, '0'));

/** Flags every command accepts. */
const COMMON: Options = {
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  // Machine callers (the bot's job runner) ask for NDJSON events on stdout.
  events: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string[];
  mutates: boolean;
  /** False for jobs whose implementation has not landed yet: they answer so, by name. */
  available: boolean;
  options: Options;
  positionals: { min: number; max: number; names: string[] };
  /** Validates the words and builds the job input. */
  schema: z.ZodType<Record<string, unknown>>;
}

const noArgs = z.object({}).passthrough();

export const COMMANDS: CommandSpec[] = [
  {
    name: 'help',
    summary: 'what the bot and the ytm command can do',
    usage: ['ytm help [command]'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 1, names: ['command'] },
    schema: z.object({ command: z.string().optional() }),
  },
  {
    name: 'doctor',
    summary: 'storage health: share, disk, links, vault, planning, mirror, outbox, Hot drafts',
    usage: ['ytm doctor [--json]'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 0, names: [] },
    schema: noArgs,
  },
  {
    name: 'store',
    summary: 'copy final files (script, WAV, SRT, mp4) to the share with SHA-256 verification and a manifest',
    usage: [
      'ytm store <path> [--kind K] [--episode CHxx-NNN] [--symlink-back | --move] [--overwrite] [--allow-unposted] [--run]',
      'ytm store --episode CHxx-NNN [--include-remotion --run-id R] [--symlink-back] [--run]',
    ],
    mutates: true,
    available: true,
    options: {
      kind: { type: 'string' },
      episode: { type: 'string' },
      'symlink-back': { type: 'boolean' },
      move: { type: 'boolean' },
      overwrite: { type: 'boolean' },
      'allow-unposted': { type: 'boolean' },
      'include-remotion': { type: 'boolean' },
      'run-id': { type: 'string' },
      run: { type: 'boolean' },
    },
    positionals: { min: 0, max: 1, names: ['path'] },
    schema: z
      .object({
        path: z.string().min(1).optional(),
        kind: z
          .string()
          .refine((v) => isStoreKind(v), `unknown kind; accepted: ${STORE_KINDS.join(', ')}`)
          .optional(),
        episode: episodeArg.optional(),
        'symlink-back': z.boolean().optional(),
        move: z.boolean().optional(),
        overwrite: z.boolean().optional(),
        'allow-unposted': z.boolean().optional(),
        'include-remotion': z.boolean().optional(),
        'run-id': z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'expected a run id like CH02-043_capcut_v1')
          .optional(),
        run: z.boolean().optional(),
      })
      .refine((v) => v.path !== undefined || v.episode !== undefined, {
        message: 'give a <path> or --episode CHxx-NNN',
      })
      .refine((v) => !(v['symlink-back'] && v.move), { message: '--symlink-back and --move cannot be combined' })
      .refine((v) => !v['include-remotion'] || v['run-id'] !== undefined, {
        message: '--include-remotion needs --run-id R',
      })
      .refine((v) => v.path === undefined || (!v['include-remotion'] && v['run-id'] === undefined), {
        message: '--include-remotion and --run-id belong to the episode form (store --episode CHxx-NNN …)',
      })
      .refine((v) => v.path !== undefined || (v.kind === undefined && !v.move), {
        message: '--kind and --move belong to the file form (store <path> …)',
      })
      .refine((v) => v['run-id'] === undefined || v['include-remotion'] === true, {
        message: '--run-id only chooses the run for --include-remotion; add --include-remotion or leave --run-id out',
      }),
  },
  {
    name: 'outbox',
    summary: 'list files waiting in the local outbox; `outbox flush` copies them to the share',
    usage: ['ytm outbox [flush] [--run]'],
    mutates: true,
    available: true,
    options: { run: { type: 'boolean' } },
    positionals: { min: 0, max: 1, names: ['action'] },
    schema: z.object({ action: z.enum(['flush', 'list']).optional(), run: z.boolean().optional() }),
  },
  {
    name: 'relink',
    summary: "point an episode's video run back at its CapCut draft on the Mac",
    usage: ['ytm relink CHxx-NNN [--draft <dir>] [--run]'],
    mutates: true,
    available: true,
    options: { draft: { type: 'string' }, run: { type: 'boolean' } },
    positionals: { min: 1, max: 1, names: ['episode'] },
    schema: z
      .object({ episode: episodeArg, draft: z.string().min(1).optional(), run: z.boolean().optional() })
      .refine((v) => !v.run || v.draft !== undefined, {
        message:
          '--run needs --draft <dir>: relink never picks a draft itself (run it without --run to see candidates)',
      }),
  },
  {
    name: 'archive',
    summary: 'reclaim space from posted episodes (archive; --delete removes only audio, drafts, video input, exports)',
    usage: [
      'ytm archive published --channel CHxx [--video NNN …] [--audio --capcut-drafts --video-input --thumbnails --video-runs] [--exports] [--delete] [--run]',
    ],
    mutates: true,
    available: true,
    options: {
      channel: { type: 'string' },
      video: { type: 'string', multiple: true },
      audio: { type: 'boolean' },
      'capcut-drafts': { type: 'boolean' },
      'video-input': { type: 'boolean' },
      thumbnails: { type: 'boolean' },
      'video-runs': { type: 'boolean' },
      exports: { type: 'boolean' },
      delete: { type: 'boolean' },
      run: { type: 'boolean' },
    },
    positionals: { min: 1, max: 1, names: ['scope'] },
    schema: z.object({
      scope: z.literal('published', { message: 'expected `archive published`' }),
      channel: channelArg,
      video: z.array(videoArg).optional(),
      audio: z.boolean().optional(),
      'capcut-drafts': z.boolean().optional(),
      'video-input': z.boolean().optional(),
      thumbnails: z.boolean().optional(),
      'video-runs': z.boolean().optional(),
      exports: z.boolean().optional(),
      delete: z.boolean().optional(),
      run: z.boolean().optional(),
    }),
  },
  {
    name: 'runs',
    summary: 'archive extra video runs, or restore them from an archive report',
    usage: [
      'ytm runs archive (--channel CHxx [--video NNN] | --all | --unscoped-only) [--run]',
      'ytm runs restore <archive_report.json> [--only-run-id R …] [--run]',
    ],
    mutates: true,
    available: true,
    options: {
      channel: { type: 'string' },
      video: { type: 'string' },
      all: { type: 'boolean' },
      'unscoped-only': { type: 'boolean' },
      'only-run-id': { type: 'string', multiple: true },
      run: { type: 'boolean' },
    },
    positionals: { min: 1, max: 2, names: ['action', 'report'] },
    schema: z
      .object({
        action: z.enum(['archive', 'restore'], { message: 'expected `runs archive` or `runs restore`' }),
        report: z.string().min(1).optional(),
        channel: channelArg.optional(),
        video: videoArg.optional(),
        all: z.boolean().optional(),
        'unscoped-only': z.boolean().optional(),
        'only-run-id': z.array(z.string().regex(RUN_ID, 'expected a run id like CH02-043_capcut_v1')).optional(),
        run: z.boolean().optional(),
      })
      .refine((v) => v.action !== 'restore' || v.report !== undefined, {
        message: '`runs restore` needs the archive_report.json to restore from',
      })
      .refine(
        (v) =>
          v.action !== 'restore' || (v.channel === undefined && v.video === undefined && !v.all && !v['unscoped-only']),
        { message: '--channel, --video, --all and --unscoped-only belong to `runs archive`' },
      )
      .refine((v) => v.action !== 'archive' || (v.report === undefined && v['only-run-id'] === undefined), {
        message: '<archive_report.json> and --only-run-id belong to `runs restore`',
      })
      .refine(
        (v) =>
          v.action !== 'archive' ||
          [v.channel !== undefined, !!v.all, !!v['unscoped-only']].filter(Boolean).length === 1,
        { message: '`runs archive` needs exactly one of --channel CHxx, --all or --unscoped-only' },
      )
      .refine((v) => v.video === undefined || !v['unscoped-only'], {
        message: '--video cannot be combined with --unscoped-only',
      }),
  },
  {
    name: 'vault',
    summary: 'make links inside the vault relative so they work on every host',
    usage: ['ytm vault [--run]'],
    mutates: true,
    available: true,
    options: { run: { type: 'boolean' } },
    positionals: { min: 0, max: 0, names: [] },
    schema: z.object({ run: z.boolean().optional() }),
  },
  {
    name: 'fallback',
    summary: 'keep Hot work usable while the share is down; `fallback restore` links it back once the share is up',
    usage: ['ytm fallback [--run]', 'ytm fallback restore [--run]'],
    mutates: true,
    available: true,
    options: { run: { type: 'boolean' } },
    positionals: { min: 0, max: 1, names: ['action'] },
    schema: z.object({
      action: z.enum(['materialize', 'restore'], { message: 'expected `fallback` or `fallback restore`' }).optional(),
      run: z.boolean().optional(),
    }),
  },
  {
    name: 'mirror',
    summary: 'mirror the Mac workspace to the vault (rsync dry run as the plan, sentinel-guarded, delete-limited)',
    usage: ['ytm mirror [--bootstrap-dest] [--run] [--scheduled]'],
    mutates: true,
    available: true,
    // --scheduled: the bot's scheduler; a plan over the delete limit is then stored for approval, not applied.
    options: { run: { type: 'boolean' }, 'bootstrap-dest': { type: 'boolean' }, scheduled: { type: 'boolean' } },
    positionals: { min: 0, max: 0, names: [] },
    schema: z.object({
      run: z.boolean().optional(),
      'bootstrap-dest': z.boolean().optional(),
      scheduled: z.boolean().optional(),
    }),
  },
  {
    name: 'status',
    summary: 'share state, probe children stuck on the share, plans waiting or running',
    usage: ['ytm status [--json]'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 0, names: [] },
    schema: noArgs,
  },
  {
    name: 'monitor',
    summary: 'one snapshot of the alert conditions (share, disk, mirror, drift, planning, outbox, Hot drafts)',
    usage: ['ytm monitor [--json]'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 0, names: [] },
    schema: noArgs,
  },
  {
    name: 'plans',
    summary: 'plans waiting for approval, running or finished',
    usage: ['ytm plans [--json]'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 0, names: [] },
    schema: noArgs,
  },
  {
    name: 'audit',
    summary: 'the append-only audit log',
    usage: ['ytm audit [--since 2026-01-26] [--json]'],
    mutates: false,
    available: true,
    options: { since: { type: 'string' } },
    positionals: { min: 0, max: 0, names: [] },
    schema: z.object({
      since: z
        .string()
        .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date like 2026-01-26 or an ISO time')
        .optional(),
    }),
  },
  {
    name: 'bot',
    summary: 'start the Slack bot (Socket Mode); also `npm start`',
    usage: ['ytm bot'],
    mutates: false,
    available: true,
    options: {},
    positionals: { min: 0, max: 0, names: [] },
    schema: noArgs,
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export interface ParsedCommand {
  spec: CommandSpec;
  input: Record<string, unknown>;
  json: boolean;
  yes: boolean;
  events: boolean;
  help: boolean;
}

export type ParseResult =
  | { ok: true; command: ParsedCommand }
  | { ok: false; error: string; command?: string; suggestion?: string };

const MAX_WORDS = 64;
const MAX_WORD_LENGTH = 1024;

/** Parses `ytm` words (already split). Never throws. */
export function parseCommandLine(words: string[]): ParseResult {
  if (words.length === 0 || words[0] === '--help' || words[0] === '-h') return parseCommandLine(['help']);
  if (words.length > MAX_WORDS) return { ok: false, error: `too many words (${words.length}; at most ${MAX_WORDS})` };
  const long = words.find((w) => w.length > MAX_WORD_LENGTH);
  if (long) return { ok: false, error: `a word is too long (${long.length} characters; at most ${MAX_WORD_LENGTH})` };
  const [name, ...rest] = words as [string, ...string[]];
  const spec = findCommand(name.toLowerCase());
  if (!spec) {
    const suggestion = closestCommand(name);
    return {
      ok: false,
      error: `unknown command "${clip(name)}"`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true });
  } catch (err) {
    const option = unknownOption(err);
    const closest = option ? closestWord(option, [...Object.keys(COMMON), ...Object.keys(spec.options)]) : undefined;
    return {
      ok: false,
      command: spec.name,
      error: describeParseError(err),
      ...(option && closest ? { suggestion: replaceWord(words, `--${option}`, `--${closest}`) } : {}),
    };
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help) {
    return {
      ok: true,
      command: {
        spec: findCommand('help') as CommandSpec,
        input: { command: spec.name },
        json: !!values.json,
        yes: false,
        events: !!values.events,
        help: true,
      },
    };
  }
  const positionals = parsed.positionals;
  if (positionals.length < spec.positionals.min || positionals.length > spec.positionals.max) {
    const expected =
      spec.positionals.max === 0
        ? 'no arguments'
        : `${spec.positionals.min === spec.positionals.max ? spec.positionals.min : `${spec.positionals.min} to ${spec.positionals.max}`} argument(s): ${spec.positionals.names.join(', ')}`;
    return {
      ok: false,
      command: spec.name,
      error: `\`${spec.name}\` takes ${expected}; got ${positionals.length === 0 ? 'none' : positionals.map((p) => `"${clip(p)}"`).join(' ')}`,
    };
  }
  const raw: Record<string, unknown> = {};
  spec.positionals.names.forEach((n, i) => {
    if (positionals[i] !== undefined) raw[n] = positionals[i];
  });
  for (const [k, v] of Object.entries(values)) {
    if (!(k in COMMON)) raw[k] = v;
  }
  const checked = spec.schema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const where = key ? (spec.options[key] ? `--${key}: ` : `<${key}>: `) : '';
    // A misspelt word of a fixed set (`outbox flsh`) gets the closest one back as the whole corrected line.
    const given = raw[key];
    const closest =
      issue?.code === 'invalid_value' && typeof given === 'string'
        ? closestWord(given, issue.values.map(String))
        : undefined;
    return {
      ok: false,
      command: spec.name,
      error: `${where}${issue?.message ?? 'invalid arguments'}`,
      ...(closest && typeof given === 'string' ? { suggestion: replaceWord(words, given, closest) } : {}),
    };
  }
  return {
    ok: true,
    command: {
      spec,
      input: checked.data,
      json: !!values.json,
      yes: !!values.yes,
      events: !!values.events,
      help: false,
    },
  };
}

function describeParseError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // parseArgs messages mention "To specify a positional argument starting with a '-'…"; keep the first sentence.
  return msg.split('. ')[0]?.replace(/\s+/g, ' ').slice(0, 300) ?? 'invalid arguments';
}

/**
 * Splits Slack text into words: quotes group words, and the typography Slack or macOS may apply is undone
 * (em/en dash for `--`, smart quotes, full-width spaces).
 */
export function tokenize(text: string): string[] {
  const normalised = text
    .normalize('NFC')
    .replace(/[\u2014\u2013](?=\S)/g, '--')
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u3000\u00A0]/g, ' ');
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of normalised.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

export function closestCommand(word: string): string | undefined {
  return closestWord(
    word,
    COMMANDS.map((c) => c.name),
  );
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo of it. */
function closestWord(word: string, candidates: string[]): string | undefined {
  const w = word.toLowerCase().slice(0, 40);
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = editDistance(w, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d > 0 && best.d <= Math.max(2, Math.floor(best.name.length / 2)) ? best.name : undefined;
}

/** The command line with one word replaced: what a "did you mean" offers to run instead. */
function replaceWord(words: string[], from: string, to: string): string {
  return words.map((w) => (w === from ? to : w)).join(' ');
}

/** The option name parseArgs did not know (`--symlnk-back` -> `symlnk-back`), if that was the error. */
function unknownOption(err: unknown): string | undefined {
  if ((err as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  return /'--?([^'=]+)/.exec(String((err as Error).message))?.[1];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

const MUTATING_NOTE = [
  '  Dry-run unless --run (terminal) or approved (Slack). --run asks before a plan that replaces or deletes files;',
  '  --yes answers yes (needed where no terminal is attached). Add --json for one JSON document.',
].join('\n');

/** `listed`: which commands the overview names and which a command's help calls usable here (default: all). */
export function helpText(commandName?: string, listed: (spec: CommandSpec) => boolean = () => true): string {
  const spec = commandName ? findCommand(commandName.toLowerCase()) : undefined;
  if (spec) {
    return [
      `${spec.name}: ${spec.summary}${spec.available ? (listed(spec) ? '' : ' (in a terminal only)') : ' (not available yet)'}`,
      ...spec.usage.map((u) => `  ${u}`),
      spec.mutates ? MUTATING_NOTE : '  Add --json for one JSON document.',
    ].join('\n');
  }
  const lines = COMMANDS.filter((c) => c.name !== 'help' && listed(c)).map(
    (c) => `  ${c.name.padEnd(9)} ${c.summary}${c.available ? '' : ' (not available yet)'}`,
  );
  return [
    'ytm: storage health and safe storage jobs for the factory (terminal and /ytm in Slack)',
    '',
    'Commands:',
    ...lines,
    '',
    '`ytm help <command>` (or `ytm <command> --help`) shows its options; `ytm --version` the version.',
    'Mutating commands only plan unless --run (terminal) or approved (Slack). In a terminal, --run asks before a plan',
    'that replaces or deletes files; --yes answers yes (needed where no terminal is attached). --json: one JSON document.',
    'Exit codes: doctor 0 ok, 1 warn, 2 critical, 3 could not check; others 0 done, 1 failed, 2 refused, 64 usage.',
  ].join('\n');
}
