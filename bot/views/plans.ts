// `/ytm plans` in Slack: the same listing as `ytm plans`, read-only and within Slack's limits.
import { type Block, clip, esc, linesWithinBudget, section } from './limits.js';

export interface PlansListing {
  plans: { shortId: string; state: string; job: string; requestedBy: string; expiresAt: string; summary: string }[];
  invalid: { planId: string; error: string }[];
}

export function isPlansListing(v: unknown): v is PlansListing {
  const o = v as Partial<PlansListing> | null;
  return !!o && Array.isArray(o.plans) && Array.isArray(o.invalid);
}

export function plansView(l: PlansListing): { text: string; blocks: Block[] } {
  if (l.plans.length === 0 && l.invalid.length === 0) {
    const text = 'No plans are stored.';
    return { text, blocks: [section(text)] };
  }
  const lines = [
    ...l.plans.map(
      (p) =>
        `\`${esc(p.shortId)}\` *${esc(p.state)}* ${esc(p.job)} by ${esc(clip(p.requestedBy, 60))} — ${esc(clip(p.summary, 200))}`,
    ),
    ...l.invalid.map((i) => `:warning: \`${esc(i.planId.slice(0, 10))}\` unreadable: ${esc(clip(i.error, 200))}`),
  ];
  const body = linesWithinBudget(lines, 2_800, 0, 'more: `ytm plans` in a terminal lists them all');
  return { text: `${l.plans.length} plan(s)`, blocks: [section(`*Plans* (${l.plans.length})\n${body}`)] };
}
