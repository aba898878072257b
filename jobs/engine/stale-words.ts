// Why a plan is stale, in words a person acts on: one line per file or fact that changed
// ("CH03-008.wav changed since the plan (1.2 MiB → 1.3 MiB)"), not the fingerprint's internal keys.
import path from 'node:path';
import type { PreconditionChange } from '../../lib/plan/preconditions.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { formatBytes } from './output.js';

/** Per-file facts (jobs/store/facts.ts): the last key segment when a fact of a file changed. */
const FILE_FIELDS = new Set(['size', 'mtimeMs', 'sha256', 'exists', 'type', 'unreadable']);

interface FileChange {
  group: 'sources' | 'destinations';
  name: string;
  fields: Map<string, PreconditionChange>;
}

const brief = (v: JsonValue | undefined): string => {
  if (v === undefined || v === null) return 'none';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
};

/** `sources.<rel>.<field>` (the rel itself has dots) split into its parts; null for other facts. */
function fileKey(key: string): { group: 'sources' | 'destinations'; rel: string; field: string | null } | null {
  const group = key.startsWith('sources.') ? 'sources' : key.startsWith('destinations.') ? 'destinations' : null;
  if (!group) return null;
  const rest = key.slice(group.length + 1);
  const dot = rest.lastIndexOf('.');
  const last = dot > 0 ? rest.slice(dot + 1) : '';
  return FILE_FIELDS.has(last) ? { group, rel: rest.slice(0, dot), field: last } : { group, rel: rest, field: null };
}

function fileLine(f: FileChange): string {
  const where = f.group === 'sources' ? f.name : `${f.name} on the destination`;
  const whole = f.fields.get('');
  if (whole) {
    if (whole.before === undefined) return `${where} is new since the plan`;
    if (whole.after === undefined) return `${where} is gone since the plan`;
  }
  const size = f.fields.get('size');
  const exists = f.fields.get('exists');
  if (exists) return `${where} ${exists.after === true ? 'appeared' : 'disappeared'} since the plan`;
  if (f.fields.has('unreadable')) return `${where} could not be read (${brief(f.fields.get('unreadable')?.after)})`;
  if (size && typeof size.before === 'number' && typeof size.after === 'number') {
    return `${where} changed since the plan (${formatBytes(size.before)} → ${formatBytes(size.after)})`;
  }
  if (f.fields.has('sha256')) return `${where} changed since the plan (same size, other content)`;
  return `${where} was touched since the plan (modified time changed, same content)`;
}

const FACT_WORDS: Record<string, (c: PreconditionChange) => string> = {
  'space.enough': (c) => (c.after === false ? 'there is no longer enough free space' : 'free space changed'),
  locks: () => 'the coordination locks changed (another job locked or released files)',
  alreadyLinked: () => 'which files are already linked back changed',
  refusals: (c) => `it would now be refused: ${brief(c.after)}`,
};

/** The share's facts (state, roots, offline) are one thing to a person: said once, by its state when it changed. */
function shareLine(changes: readonly PreconditionChange[]): string | null {
  const share = changes.filter((c) => c.key.startsWith('share.'));
  if (share.length === 0) return null;
  const state = share.find((c) => c.key === 'share.state');
  if (state) return `the share is ${brief(state.after)} now (was ${brief(state.before)})`;
  const base = share.find((c) => c.key === 'share.base');
  if (base) return `the destination folder changed (${brief(base.before)} → ${brief(base.after)})`;
  return `the share changed (${share.map((c) => c.key.slice('share.'.length)).join(', ')})`;
}

export function staleInWords(changes: readonly PreconditionChange[]): string[] {
  const files = new Map<string, FileChange>();
  const share = shareLine(changes);
  const lines: string[] = share ? [share] : [];
  for (const c of changes.filter((x) => !x.key.startsWith('share.'))) {
    const file = fileKey(c.key);
    if (file) {
      const id = `${file.group}:${file.rel}`;
      const entry = files.get(id) ?? { group: file.group, name: path.posix.basename(file.rel), fields: new Map() };
      entry.fields.set(file.field ?? '', c);
      if (!files.has(id)) {
        files.set(id, entry);
        lines.push(id);
      }
      continue;
    }
    const published = /^published\.(.+)$/.exec(c.key)?.[1];
    const words =
      FACT_WORDS[c.key] ??
      (published
        ? () => `${published} is ${c.after === true ? 'posted' : 'no longer posted'} now`
        : () => `${c.key} changed (${brief(c.before)} → ${brief(c.after)})`);
    lines.push(words(c));
  }
  return lines.map((l) => {
    const f = files.get(l);
    return f ? fileLine(f) : l;
  });
}
