import pino, { type Logger } from 'pino';
import { rotatingLogFile } from './log-file.js';

// JSON logs on stderr (stdout carries command output and job events). Secrets are removed twice: by key
// (pino redact) and by shape, because a token can hide inside an error message or a URL.

const TOKEN_SHAPE =
  /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w+|sk-[A-Za-z0-9]{16,})/g;

const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_APP_TOKEN',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
];

export function scrubSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.replace(TOKEN_SHAPE, '[REDACTED]') as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(scrubSecrets(value.message)) as Error & Record<string, unknown>;
    copy.name = value.name;
    if (value.stack) copy.stack = scrubSecrets(value.stack);
    return copy as T;
  }
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubSecrets(v, depth + 1);
  return out as T;
}

/** `file`: log there (rotated at `maxBytes`, see lib/log-file.ts) instead of stderr. */
export function createLogger(
  opts: { level?: string; name?: string; file?: string | null; maxBytes?: number } = {},
): Logger {
  return pino(
    {
      name: opts.name ?? 'ytm',
      level: opts.level ?? process.env.YTM_LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { log: (obj) => scrubSecrets(obj) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubSecrets(a)) as Parameters<typeof method>);
        },
      },
    },
    opts.file ? rotatingLogFile(opts.file, opts.maxBytes ?? 10 * 1024 ** 2) : pino.destination({ fd: 2, sync: true }),
  );
}

export type { Logger };
