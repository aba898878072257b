// `ytm fallback`'s read-only plan (facts §4.5): only while the share is not up, each link directly under
// video/input that points into the share and is broken gets a local folder: a copy of its newest local archive,
// or an empty folder with README_OFFLINE_FALLBACK.txt. The link itself is kept under a backup name.
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { formatBytes } from '../engine/output.js';
import { refusedDraft } from '../engine/refused.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import { freeBytes, SPACE_MARGIN_BYTES } from '../store/facts.js';
import { probeShare } from '../store/target.js';
import type { FallbackAction } from './action.js';
import { inputDir, inputEntries, inputLink, reachTargets } from './links.js';
import { backupOriginal, newestArchive } from './names.js';
import { listTree, treeBytes } from './tree.js';

const refused = (share: JsonObject, refusal: Refusal): PlanDraft => refusedDraft([refusal], { shareCheck: share });

export async function planMaterialize(ctx: JobContext): Promise<PlanDraft> {
  const probe = await probeShare(ctx);
  // Kept as `shareCheck`, not `share`: the plan card reads a `share` precondition as a store's destination.
  const share = { state: probe.state, root: probe.root };
  if (probe.state === 'unconfigured') {
    return refused(share, {
      code: 'SHARE_UNCONFIGURED',
      message: `${probe.reason}: there is no share to fall back from`,
    });
  }
  if (probe.state === 'up') {
    return refused(share, {
      code: 'SHARE_UP',
      message: 'the share is up: nothing to fall back from (`ytm fallback restore` links materialised folders back)',
    });
  }
  const links = [];
  let backups = 0;
  for (const e of (await inputEntries(ctx)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!e.isSymbolicLink()) continue;
    if (backupOriginal(e.name) !== null) {
      backups++;
      continue;
    }
    const l = await inputLink(ctx, e.name);
    if (l.intoShare) links.push(l);
  }
  const reach = await reachTargets(
    ctx,
    probe,
    links.map((l) => l.absoluteTarget),
  );
  const actions: FallbackAction[] = [];
  const sources: JsonObject = {};
  const linkFacts: JsonObject = {};
  let ok = 0;
  for (const [i, l] of links.entries()) {
    const state = reach.ok ? reach.states[i] : 'missing';
    if (state === 'exists') {
      ok++;
      continue;
    }
    linkFacts[l.name] = l.target;
    const source = await newestArchive(ctx.paths.workspaceRoot, l.name);
    const tree = source ? await listTree(source) : [];
    sources[l.name] = source ? { dir: source, tree: tree as unknown as JsonValue } : null;
    actions.push({
      op: 'materialize',
      name: l.name,
      link: l.link,
      target: l.target,
      source,
      files: tree.filter((t) => t.type === 'file').length,
      bytes: treeBytes(tree),
      reason: reach.ok ? `the share is ${probe.state}: ${probe.reason}` : reach.message,
    });
  }
  const needed = actions.reduce((s, a) => s + (a.op === 'materialize' ? a.bytes : 0), 0);
  const free = actions.length > 0 ? await freeBytes(inputDir(ctx)) : 0;
  const enough = needed + SPACE_MARGIN_BYTES <= free || actions.length === 0;
  const refusals: Refusal[] = enough
    ? []
    : [
        {
          code: 'NO_SPACE',
          message: `the local archives to copy need ${formatBytes(needed)} but ${formatBytes(free)} is free under video/input`,
        },
      ];
  const fromArchive = actions.filter((a) => a.op === 'materialize' && a.source !== null).length;
  const warnings = reach.ok
    ? []
    : [`the share's link targets could not be checked (${reach.message}): every link into it counts as broken`];
  return {
    preconditions: { shareCheck: share, links: linkFacts, sources, space: { enough } },
    actions: actions as JsonValue[],
    warnings,
    refusals,
    summary:
      actions.length === 0
        ? `share ${probe.state}: no broken video/input link into the share (${ok} still reachable, ${backups} backup link(s) ignored)`
        : `share ${probe.state}: materialise ${actions.length} broken video/input link(s) locally: ${fromArchive} from the newest local archive (${formatBytes(needed)}), ${actions.length - fromArchive} as an empty folder; ${ok} link(s) still reachable, ${backups} backup link(s) ignored`,
  };
}
