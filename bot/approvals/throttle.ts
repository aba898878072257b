// Progress edits at most once per interval per message (chat.update is rate limited, and a card that changes
// many times a second helps no one). The newest text always wins; sends never overlap; `flush` waits for the
// last one so the final card is never overwritten by a late progress edit.

export class EditThrottle {
  private last = 0;
  private pending: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly send: (text: string) => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  push(text: string): void {
    if (this.closed) return;
    this.pending = text;
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const text = this.pending;
    this.pending = undefined;
    if (text === undefined || this.closed) return;
    this.last = this.now();
    this.chain = this.chain
      .then(() => this.send(text))
      .then(
        () => {},
        () => {},
      );
  }

  /** Stops further edits and waits for the one in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }
}
