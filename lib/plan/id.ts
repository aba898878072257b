// Plan identity: the SHA-256 of the plan's canonical JSON. Any change to any field gives a new id, so an
// approval given for one id can never be applied to a different plan.
import { sha256Hex } from '../fs/hash.js';
import { canonicalJson } from './canonical.js';
import type { Plan } from './types.js';

export const PLAN_ID_RE = /^[0-9a-f]{64}$/;

export function planId(plan: Plan): string {
  return sha256Hex(canonicalJson(plan));
}

/** The short form shown on cards and in the terminal. */
export function shortId(id: string): string {
  return id.slice(0, 10);
}

export function isPlanId(value: string): boolean {
  return PLAN_ID_RE.test(value);
}
