// The approval state machine. Every change goes through `transition()` (a compare-and-set), and only the
// edges listed here are legal, so a finished, cancelled or expired plan can never be approved or run again.
import { z } from 'zod';

export const STATES = [
  'awaiting_approval',
  'approved',
  'running',
  'succeeded',
  'failed',
  'partial',
  'cancelled',
  'expired',
  'stale',
  'interrupted',
] as const;

export const StateSchema = z.enum(STATES);
export type State = z.infer<typeof StateSchema>;

export const TRANSITIONS: Readonly<Record<State, readonly State[]>> = {
  awaiting_approval: ['approved', 'cancelled', 'expired', 'stale'],
  // approved but not started: may still be cancelled, go stale on the pre-run check, or expire if it
  // never started before its TTL (fail closed); a crash here counts as interrupted.
  approved: ['running', 'cancelled', 'expired', 'stale', 'interrupted'],
  // stale from running: `apply` re-checked its preconditions first and did nothing.
  running: ['succeeded', 'failed', 'partial', 'cancelled', 'stale', 'interrupted'],
  // Terminal: a plan runs at most once. A retry is a new plan with a new id.
  succeeded: [],
  failed: [],
  partial: [],
  cancelled: [],
  expired: [],
  stale: [],
  interrupted: [],
};

export function canTransition(from: State, to: State): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(state: State): boolean {
  return TRANSITIONS[state].length === 0;
}
