// Bolt and socket-mode log through this adapter into our pino logger (JSON on stderr, secrets scrubbed).
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../lib/log.js';

const FROM_PINO: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function render(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ')
    .trim();
}

export function boltLogger(base: Logger): BoltLogger {
  let log = base.child({ component: 'slack' });
  let level: LogLevel = FROM_PINO[base.level] ?? LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug(render(msg)),
    info: (...msg: unknown[]) => log.info(render(msg)),
    // socket-mode logs a dropped TCP connection as an error with an empty message; keep it, but say what it is.
    warn: (...msg: unknown[]) => log.warn(render(msg)),
    error: (...msg: unknown[]) => log.error(render(msg) || 'socket-mode error with no message (connection dropped)'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name: string) => {
      log = base.child({ component: name });
    },
  };
}
