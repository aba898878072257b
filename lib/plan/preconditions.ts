// Explain *why* a plan is stale: which precondition facts changed between planning and applying.
import { canonicalJson } from './canonical.js';
import type { JsonValue } from './types.js';

export interface PreconditionChange {
  /** Dotted path into the preconditions object, e.g. `share.state`. */
  key: string;
  /** Value at plan time; `undefined` when the fact is new. */
  before: JsonValue | undefined;
  /** Value now; `undefined` when the fact disappeared. */
  after: JsonValue | undefined;
}

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(prefix: string, a: JsonValue | undefined, b: JsonValue | undefined, out: PreconditionChange[]): void {
  // Descend into objects so the explanation names the exact fact; arrays compare as a whole
  // (an index-by-index diff of a listing would be noise, not an explanation).
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(prefix ? `${prefix}.${k}` : k, a[k], b[k], out);
    return;
  }
  const same = a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);
  if (!same && !(a === undefined && b === undefined)) out.push({ key: prefix, before: a, after: b });
}

/** Every precondition fact that differs between `planned` and `current`, sorted by key. Empty = not stale. */
export function diffPreconditions(
  planned: { [k: string]: JsonValue },
  current: { [k: string]: JsonValue },
): PreconditionChange[] {
  const out: PreconditionChange[] = [];
  walk('', planned, current, out);
  return out;
}
