// From resolved items to store actions plus the facts they rely on; shared by `store` and `outbox flush`.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject, Refusal } from '../../lib/plan/types.js';
import { hashCacheDir } from '../engine/hash-cache.js';
import { formatBytes } from '../engine/output.js';
import type { JobContext } from '../engine/types.js';
import type { StoreAction } from './action.js';
import { type DestFacts, destFacts, freeBytes, SPACE_MARGIN_BYTES, sourceFacts } from './facts.js';
import type { StoreTarget } from './target.js';

export interface PlannedItem {
  src: string;
  srcRel: string;
  destRel: string;
  kind: string;
  episode: string | null;
  after: StoreAction['after'];
  flushedFrom: string | null;
}

export interface PlannedActions {
  actions: StoreAction[];
  sources: JsonObject;
  destinations: JsonObject;
  refusals: Refusal[];
  /** Bytes that will be written (destinations not already holding the same file). */
  needed: number;
  enough: boolean;
}

function destStateOf(f: DestFacts, sha256: string): StoreAction['destState'] {
  if (!f.exists) return 'absent';
  return f.type === 'file' && f.sha256 === sha256 ? 'same' : 'different';
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() === true;
}

export async function planActions(
  items: PlannedItem[],
  target: StoreTarget,
  overwrite: boolean,
  ctx: Pick<JobContext, 'signal' | 'paths'>,
): Promise<PlannedActions> {
  const { signal } = ctx;
  const out: PlannedActions = { actions: [], sources: {}, destinations: {}, refusals: [], needed: 0, enough: true };
  if (target.offline && items.length > 0 && !(await isDirectory(target.effectiveRoot))) {
    // Never created by a store (lib/share/destination-root.ts): a missing root may be an unmounted disk.
    out.refusals.push({
      code: 'OUTBOX_MISSING',
      message: `the local outbox root ${target.effectiveRoot} does not exist: create it (mkdir -p) or point YTM_SHARED_STORAGE_FALLBACK_ROOT at an existing local folder`,
    });
  }
  for (const item of items) {
    let src: Awaited<ReturnType<typeof sourceFacts>>;
    try {
      src = await sourceFacts(item.src, signal, hashCacheDir(ctx.paths.stateDir));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      out.sources[item.srcRel] = { unreadable: code };
      out.refusals.push({ code: 'SOURCE_UNREADABLE', message: `${item.srcRel} cannot be read (${code})` });
      continue;
    }
    const dest = path.join(target.base, item.destRel);
    const d = await destFacts(dest, src.size, signal);
    out.sources[item.srcRel] = src;
    out.destinations[item.destRel] = d as JsonObject;
    const destState = destStateOf(d, src.sha256);
    if (d.exists && d.type === 'other') {
      out.refusals.push({ code: 'DEST_NOT_FILE', message: `${dest} exists and is not a regular file` });
    } else if (destState === 'different' && !overwrite) {
      out.refusals.push({
        code: 'DEST_DIFFERS',
        message: `${dest} already holds a different file${d.exists && d.type === 'file' ? ` (${formatBytes(d.size)})` : ''}; add --overwrite to replace it`,
      });
    }
    out.actions.push({
      op: 'store',
      src: item.src,
      srcRel: item.srcRel,
      srcMtimeMs: src.mtimeMs,
      dest,
      destRel: item.destRel,
      kind: item.kind,
      episode: item.episode,
      size: src.size,
      sha256: src.sha256,
      destState,
      overwrite,
      after: item.after,
      target: {
        configuredRoot: target.configuredRoot,
        effectiveRoot: target.effectiveRoot,
        namespace: target.namespace,
        base: target.base,
        offline: target.offline,
        offlineReason: target.offlineReason,
        flushedFrom: item.flushedFrom,
      },
    });
  }
  out.needed = out.actions.filter((a) => a.destState !== 'same').reduce((s, a) => s + a.size, 0);
  if (out.needed > 0) {
    const free = await freeBytes(target.base);
    out.enough = free >= out.needed + SPACE_MARGIN_BYTES;
    if (!out.enough) {
      out.refusals.push({
        code: 'NO_SPACE',
        message: `not enough free space at ${target.offline ? 'the local outbox' : 'the share'} (${target.base}): ${formatBytes(out.needed)} to write, ${formatBytes(free)} free`,
      });
    }
  }
  return out;
}

export function targetFacts(t: StoreTarget): JsonObject {
  return {
    state: t.state,
    configuredRoot: t.configuredRoot,
    offline: t.offline,
    effectiveRoot: t.effectiveRoot,
    base: t.base,
  };
}
