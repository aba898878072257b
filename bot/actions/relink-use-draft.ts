// "Use this draft" on a relink candidate: the button's value is never trusted as a path. It must name a known
// draft root and a plain relative path under it whose folder name carries the episode; only then is
// `relink <episode> --draft <root>/<path>` planned (same access rules as typing it), and the planning child
// judges the real path again (inside the root, a folder, not on the share) before any card offers Approve.
import path from 'node:path';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { draftNameHasEpisode } from '../../lib/capcut/candidates.js';
import { resolvePaths } from '../../lib/paths.js';
import { controlCharacterProblem } from '../commands/control-chars.js';
import type { BotDeps } from '../deps.js';
import { RELINK_USE_DRAFT_ACTION } from '../views/relink.js';
import { registerPlanningButton } from './click.js';

const UseDraftSchema = z.object({
  e: z.string().regex(/^CH\d{2}-\d{3}$/),
  r: z.enum(['capcut_draft_root', 'capcut_fallback_root']),
  n: z
    .string()
    .min(1)
    .max(1024)
    // The same rule as typed commands: no NUL, no other control character, no bidi override.
    .refine((v) => controlCharacterProblem(v) === undefined && !/[\n\r\t]/.test(v), 'control character')
    .refine(
      (v) => !v.startsWith('/') && v.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
      'not a plain relative path',
    ),
});

/** The draft path a button value names, or why it is refused. */
export function draftFromButton(
  value: string,
  deps: Pick<BotDeps, 'config'>,
): { episode: string; draft: string } | { missing: string } {
  let parsed: ReturnType<typeof UseDraftSchema.safeParse>;
  try {
    parsed = UseDraftSchema.safeParse(JSON.parse(value));
  } catch {
    return { missing: ':no_entry: This button does not name a draft; run `/ytm relink <episode>` again.' };
  }
  if (!parsed.success)
    return { missing: ':no_entry: This button does not name a draft; run `/ytm relink <episode>` again.' };
  const { e, r, n } = parsed.data;
  if (!draftNameHasEpisode(path.posix.basename(n), e)) {
    return { missing: `:no_entry: That draft's name does not carry ${e}; run \`/ytm relink ${e}\` again.` };
  }
  const paths = resolvePaths(deps.config);
  const root = r === 'capcut_draft_root' ? paths.capcutDraftRoot : paths.capcutFallbackRoot;
  return { episode: e, draft: path.join(root, ...n.split('/')) };
}

export function registerRelinkUseDraftAction(app: App, deps: BotDeps): void {
  registerPlanningButton(app, deps, RELINK_USE_DRAFT_ACTION, 'button', async (click) => {
    const chosen = draftFromButton(click.planId, deps);
    if ('missing' in chosen) return chosen;
    return { words: ['relink', chosen.episode, '--draft', chosen.draft] };
  });
}
