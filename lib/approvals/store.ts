// Durable approval store: one JSON file per plan, every change a compare-and-set under a per-plan lock file.
// Double clicks, redelivered Slack envelopes, a CLI and the bot racing, or a restart: for any state change
// exactly one caller wins, and the losers get the record as it now is.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../fs/atomic.js';
import { type FileLockOptions, withFileLock } from '../locks/file-lock.js';
import { planId as computePlanId, isPlanId } from '../plan/id.js';
import { type Plan, PlanSchema } from '../plan/types.js';
import {
  type Approval,
  type ApprovalRecord,
  ApprovalRecordSchema,
  plansDir,
  recordFile,
  recordLockFile,
} from './record.js';
import { canTransition, type State } from './states.js';

export class PlanIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanIntegrityError';
  }
}

export class PlanRefusedError extends Error {
  constructor(readonly refusals: Plan['refusals']) {
    super(`a plan with refusals cannot be submitted for approval: ${refusals.map((r) => r.code).join(', ')}`);
    this.name = 'PlanRefusedError';
  }
}

/** Lock timing for the per-plan lock (tests shorten it). */
export const storeLockOptions: FileLockOptions = { staleMs: 30_000, timeoutMs: 60_000 };

function assertId(id: string): void {
  // The id becomes a file name: refuse anything but 64 hex chars (no path tricks from a button value).
  if (!isPlanId(id)) throw new PlanIntegrityError(`not a plan id: ${JSON.stringify(id.slice(0, 80))}`);
}

async function readRecord(
  stateDir: string,
  id: string,
  wanted?: readonly State[],
): Promise<ApprovalRecord | undefined> {
  let text: string;
  try {
    text = await readFile(recordFile(stateDir, id), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const raw: unknown = JSON.parse(text);
  // Filtering by state first spares the schema check and the re-hash of every finished plan: the bot's expiry
  // sweep lists plans every few seconds, and finished records are never removed.
  if (wanted && !wanted.includes((raw as { state?: State }).state as State)) return undefined;
  const parsed = ApprovalRecordSchema.safeParse(raw);
  if (!parsed.success) throw new PlanIntegrityError(`record ${id} is malformed: ${parsed.error.message}`);
  const rec = parsed.data;
  // Re-hash: the stored plan must still be exactly the plan that was approved under this id.
  if (rec.planId !== id || computePlanId(rec.plan) !== id) {
    throw new PlanIntegrityError(`record ${id}: stored plan does not hash to its id (edited?)`);
  }
  return rec;
}

const writeRecord = (stateDir: string, rec: ApprovalRecord) => writeJsonAtomic(recordFile(stateDir, rec.planId), rec);

async function withPlanLock<T>(stateDir: string, id: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(plansDir(stateDir), { recursive: true }); // so a fresh state dir reads as "not found", not ENOENT
  return withFileLock(recordLockFile(stateDir, id), fn, storeLockOptions);
}

export interface SavePlanOptions {
  requestedBy: string;
  ttlMs: number;
  requestedIn?: string;
  now?: Date;
}

/**
 * Store a plan awaiting approval. Idempotent: saving the same plan again (same id) returns the existing
 * record untouched with `created: false`, whatever state it is in.
 */
export async function savePlan(
  stateDir: string,
  plan: Plan,
  opts: SavePlanOptions,
): Promise<{ record: ApprovalRecord; created: boolean }> {
  const checked = PlanSchema.parse(plan);
  if (checked.refusals.length > 0) throw new PlanRefusedError(checked.refusals);
  const id = computePlanId(checked);
  return withPlanLock(stateDir, id, async () => {
    const existing = await readRecord(stateDir, id);
    if (existing) return { record: existing, created: false };
    const now = opts.now ?? new Date();
    const record: ApprovalRecord = {
      plan: checked,
      planId: id,
      state: 'awaiting_approval',
      requestedBy: opts.requestedBy,
      ...(opts.requestedIn !== undefined ? { requestedIn: opts.requestedIn } : {}),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + opts.ttlMs).toISOString(),
      approvals: [],
      history: [{ from: null, to: 'awaiting_approval', at: now.toISOString(), by: opts.requestedBy }],
    };
    await writeRecord(stateDir, record);
    return { record, created: true };
  });
}

export async function getPlan(stateDir: string, id: string): Promise<ApprovalRecord | undefined> {
  assertId(id);
  return readRecord(stateDir, id);
}

export interface ListPlansOptions {
  states?: State[];
  /** Called for a record file that cannot be read or fails its integrity check (it is then left out). */
  onInvalid?: (planId: string, error: unknown) => void;
}

/** All records, oldest first. */
export async function listPlans(stateDir: string, opts: ListPlansOptions = {}): Promise<ApprovalRecord[]> {
  let names: string[];
  try {
    names = await readdir(plansDir(stateDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ApprovalRecord[] = [];
  for (const name of names) {
    const m = /^([0-9a-f]{64})\.json$/.exec(name); // skips locks and atomic-write temp files
    if (!m?.[1]) continue;
    try {
      const rec = await readRecord(stateDir, m[1], opts.states);
      if (rec) out.push(rec);
    } catch (err) {
      opts.onInvalid?.(m[1], err);
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.planId.localeCompare(b.planId));
}

/** Fields a transition may change besides the state. */
export type RecordPatch = Partial<Pick<ApprovalRecord, 'approvals' | 'slack' | 'result'>>;

export interface TransitionRequest {
  /** The state(s) the caller believes the record is in; anything else and nothing changes. */
  from: State | State[];
  to: State;
  by?: string;
  note?: string;
  patch?: RecordPatch | ((current: ApprovalRecord) => RecordPatch);
  now?: Date;
}

export type TransitionFailure = 'not_found' | 'state_mismatch' | 'illegal_transition' | 'expired';

export type TransitionResult =
  | { ok: true; record: ApprovalRecord }
  | { ok: false; reason: TransitionFailure; current: ApprovalRecord | undefined };

function applyTransition(
  cur: ApprovalRecord,
  to: State,
  at: Date,
  extra: { by?: string; note?: string; patch?: RecordPatch },
): ApprovalRecord {
  const entry = {
    from: cur.state,
    to,
    at: at.toISOString(),
    ...(extra.by !== undefined ? { by: extra.by } : {}),
    ...(extra.note !== undefined ? { note: extra.note } : {}),
  };
  return { ...cur, ...extra.patch, state: to, history: [...cur.history, entry] };
}

/** Compare-and-set under the plan's lock, guarded by the transition table and, for approval, the TTL. */
export async function transition(stateDir: string, id: string, req: TransitionRequest): Promise<TransitionResult> {
  assertId(id);
  const from = Array.isArray(req.from) ? req.from : [req.from];
  return withPlanLock(stateDir, id, async () => {
    const cur = await readRecord(stateDir, id);
    if (!cur) return { ok: false, reason: 'not_found', current: undefined };
    if (!from.includes(cur.state)) return { ok: false, reason: 'state_mismatch', current: cur };
    if (!canTransition(cur.state, req.to)) return { ok: false, reason: 'illegal_transition', current: cur };
    const now = req.now ?? new Date();
    const starting = req.to === 'running' && cur.state === 'approved';
    if ((req.to === 'approved' || starting) && now.getTime() >= Date.parse(cur.expiresAt)) {
      // Fail closed: an approval that arrives after the TTL, or an approved plan that had not started by then
      // (a late `ytm apply`, a bot that was down), expires the plan instead.
      const note = starting ? 'not started before expiry' : 'approval arrived after expiry';
      const expired = applyTransition(cur, 'expired', now, { note });
      await writeRecord(stateDir, expired);
      return { ok: false, reason: 'expired', current: expired };
    }
    const patch = typeof req.patch === 'function' ? req.patch(cur) : req.patch;
    const next = applyTransition(cur, req.to, now, { by: req.by, note: req.note, patch });
    await writeRecord(stateDir, next);
    return { ok: true, record: next };
  });
}

/** Change non-state fields (e.g. the Slack message ref after posting the card). */
export async function patchRecord(
  stateDir: string,
  id: string,
  patch: RecordPatch | ((current: ApprovalRecord) => RecordPatch),
): Promise<ApprovalRecord | undefined> {
  assertId(id);
  return withPlanLock(stateDir, id, async () => {
    const cur = await readRecord(stateDir, id);
    if (!cur) return undefined;
    const next = { ...cur, ...(typeof patch === 'function' ? patch(cur) : patch) };
    await writeRecord(stateDir, next);
    return next;
  });
}

export type ApprovalVoteResult =
  | { ok: true; record: ApprovalRecord /** true when this vote completed the approval */; approved: boolean }
  | { ok: false; reason: TransitionFailure | 'duplicate_vote'; current: ApprovalRecord | undefined };

/**
 * Record one person's approval. With `needed` > 1 the votes accumulate (one per user) and the record moves
 * to `approved` on the vote that reaches `needed`; exactly one caller ever sees `approved: true`.
 * Authorisation (`canApprove`) is the caller's job and must happen before this.
 */
export async function recordApproval(
  stateDir: string,
  id: string,
  vote: { user: string; needed: number; now?: Date },
): Promise<ApprovalVoteResult> {
  assertId(id);
  return withPlanLock(stateDir, id, async () => {
    const cur = await readRecord(stateDir, id);
    if (!cur) return { ok: false, reason: 'not_found', current: undefined };
    if (cur.state !== 'awaiting_approval') return { ok: false, reason: 'state_mismatch', current: cur };
    const now = vote.now ?? new Date();
    if (now.getTime() >= Date.parse(cur.expiresAt)) {
      const expired = applyTransition(cur, 'expired', now, { note: 'approval arrived after expiry' });
      await writeRecord(stateDir, expired);
      return { ok: false, reason: 'expired', current: expired };
    }
    if (cur.approvals.some((a) => a.user === vote.user)) return { ok: false, reason: 'duplicate_vote', current: cur };
    const approvals: Approval[] = [...cur.approvals, { user: vote.user, at: now.toISOString() }];
    const done = approvals.length >= Math.max(1, vote.needed);
    const next = done
      ? applyTransition(cur, 'approved', now, { by: vote.user, patch: { approvals } })
      : { ...cur, approvals };
    await writeRecord(stateDir, next);
    return { ok: true, record: next, approved: done };
  });
}

/** Move every awaiting (or approved but never started) record whose TTL has passed to `expired`. */
export async function expireDue(stateDir: string, now: Date = new Date()): Promise<ApprovalRecord[]> {
  const due = await listPlans(stateDir, { states: ['awaiting_approval', 'approved'] });
  const out: ApprovalRecord[] = [];
  for (const rec of due) {
    if (now.getTime() < Date.parse(rec.expiresAt)) continue;
    // CAS on the state we saw: if someone started it in between, it is no longer ours to expire.
    const r = await transition(stateDir, rec.planId, { from: rec.state, to: 'expired', now, note: 'TTL passed' });
    if (r.ok) out.push(r.record);
  }
  return out;
}
