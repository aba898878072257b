// Socket Mode redelivers an envelope that was not acked in time, and a flaky link can deliver one twice. Every
// inbound payload is remembered by its identifiers for at least `ttlMs`; a repeat is acked and dropped so a
// slash command or a click never runs its job twice.

export class SeenSet {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records every key; true when any of them was seen within the TTL. */
  checkAndRemember(keys: readonly string[]): boolean {
    const t = this.now();
    this.sweep(t);
    const dup = keys.some((k) => {
      const at = this.seen.get(k);
      return at !== undefined && t - at < this.ttlMs;
    });
    for (const k of keys) if (!this.seen.has(k)) this.seen.set(k, t);
    return dup;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(t: number): void {
    // Map iteration is insertion order, so the oldest entries come first.
    for (const [k, at] of this.seen) {
      if (t - at < this.ttlMs) break;
      this.seen.delete(k);
    }
  }
}

/** Identifiers of one inbound payload: the envelope id plus what stays stable across a redelivery. */
export function dedupeKeys(envelopeId: string | undefined, body: Record<string, unknown>): string[] {
  const keys: string[] = [];
  if (envelopeId) keys.push(`env:${envelopeId}`);
  if (typeof body.event_id === 'string') keys.push(`event:${body.event_id}`);
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string') keys.push(`cmd:${body.trigger_id}`);
  if (body.type === 'block_actions' && Array.isArray(body.actions)) {
    const user = (body.user as { id?: string } | undefined)?.id ?? '';
    for (const a of body.actions as { action_id?: string; action_ts?: string }[]) {
      if (a.action_ts) keys.push(`action:${user}:${a.action_id ?? ''}:${a.action_ts}`);
    }
  }
  return keys;
}
