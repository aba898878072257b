// rsync's itemized changes (`--itemize-changes`, or `--out-format=%i %l %n` to get sizes too) counted the way
// a report and the drift figure need them: entries created, updated, deleted, and the bytes of files sent.
// `YXcstpoguax`: Y is the update type (< > sent/received, c created/changed non-file, h hard link, . nothing
// but attributes, * message such as `*deleting`), X the entry type (f d L D S), then one flag per attribute;
// a new entry has `+` in every flag position.

export interface ItemCounts {
  created: number;
  updated: number;
  deleted: number;
  /** Bytes of the regular files created or updated (what a whole-file transfer sends). */
  bytes: number;
}

export const emptyCounts = (): ItemCounts => ({ created: 0, updated: 0, deleted: 0, bytes: 0 });

export function addCounts(a: ItemCounts, b: ItemCounts): ItemCounts {
  return {
    created: a.created + b.created,
    updated: a.updated + b.updated,
    deleted: a.deleted + b.deleted,
    bytes: a.bytes + b.bytes,
  };
}

export interface Item {
  kind: 'created' | 'updated' | 'deleted';
  /** Regular file (bytes count only for these). */
  file: boolean;
  /** From %l; null when the output format has no size. */
  size: number | null;
  name: string;
}

const ITEM = /^(\*deleting|[<>ch.][fdLDS][^\s]{7,9})\s+(.*)$/;

/** One output line as an item, or null for attribute-only changes, stats and other chatter. */
export function parseItemLine(line: string, withSize: boolean): Item | null {
  const m = ITEM.exec(line);
  if (!m) return null;
  const code = m[1] as string;
  let rest = m[2] as string;
  let size: number | null = null;
  if (withSize) {
    const s = /^(\d+) (.*)$/.exec(rest);
    if (!s) return null;
    size = Number(s[1]);
    rest = s[2] as string;
  }
  if (code === '*deleting') return { kind: 'deleted', file: !rest.endsWith('/'), size, name: rest };
  const type = code[1];
  const file = type === 'f';
  if (/^\++$/.test(code.slice(2))) return { kind: 'created', file, size, name: rest };
  // '.' changes attributes only (times of directories, mostly): nothing is sent or created.
  if (code[0] === '.') return null;
  return { kind: 'updated', file, size, name: rest };
}

export function countItem(c: ItemCounts, item: Item): void {
  c[item.kind] += 1;
  if (item.kind !== 'deleted' && item.file && item.size !== null) c.bytes += item.size;
}

/** `Number of files: 50,123 (reg: …)` from --stats (source side, directories included). */
export function parseStatsFiles(line: string): number | null {
  const m = /^Number of files: ([\d,.]+)/.exec(line);
  return m?.[1] ? Number(m[1].replace(/[,.]/g, '')) : null;
}
