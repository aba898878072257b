// The three output modes of every job command: readable text (default), one JSON document (`--json`), or
// NDJSON events for machine callers (`--events`: `{"type":"progress",…}` lines, then one `{"type":"result",…}`).
import type { ProgressEvent } from './types.js';

export interface OutputMode {
  json: boolean;
  events: boolean;
}

export interface Output {
  progress: (event: ProgressEvent) => void;
  /** Final answer: `data` for machines, `text` for people. */
  result: (exitCode: number, data: unknown, text: string) => void;
}

function line(obj: unknown): string {
  return `${JSON.stringify(obj)}\n`;
}

export function createOutput(
  mode: OutputMode,
  streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Output {
  if (mode.events) {
    return {
      progress: (ev) => streams.out.write(line({ type: 'progress', ...ev })),
      result: (exitCode, data) => streams.out.write(line({ type: 'result', exitCode, data })),
    };
  }
  if (mode.json) {
    return {
      progress: () => {},
      result: (_exitCode, data) => streams.out.write(`${JSON.stringify(data, null, 2)}\n`),
    };
  }
  return {
    progress: (ev) => {
      if (ev.stage === 'action' || ev.stage === 'action-done' || ev.stage === 'recheck') {
        streams.err.write(`  … ${ev.message}\n`);
      }
    },
    result: (exitCode, _data, text) => (exitCode === 0 ? streams.out : streams.err).write(`${text}\n`),
  };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}
