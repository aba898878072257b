// What the browser sandbox shows in its channels, in the order things happened: the emulator's channel messages
// (edits replace the original in place), the ephemerals still current, and the page's own lines (the command a
// person typed, the ack's reply). Message ts are synthetic, so order is "first seen", noted on every change.
import type { SlackEmulator } from '../../slack/emulator.js';
import type { SandboxItem } from './page-state.js';

export type LocalItem = Pick<SandboxItem, 'kind' | 'channel' | 'text' | 'blocks'>;

export class SandboxTimeline {
  private seq = 0;
  private readonly seqs = new Map<string, number>();
  private readonly local: SandboxItem[] = [];

  constructor(
    private readonly emu: SlackEmulator,
    private readonly channels: readonly string[],
  ) {}

  private seqOf(key: string): number {
    let n = this.seqs.get(key);
    if (n === undefined) {
      this.seq += 1;
      n = this.seq;
      this.seqs.set(key, n);
    }
    return n;
  }

  add(item: LocalItem): void {
    const key = `l:${this.local.length}`;
    this.local.push({ ...item, key, seq: this.seqOf(key) });
  }

  /** Every current item, oldest first (also gives new emulator messages their place in the order). */
  items(): SandboxItem[] {
    const out = [...this.local];
    for (const channel of this.channels) {
      for (const m of this.emu.messages(channel)) {
        const key = `m:${channel}:${m.ts}`;
        out.push({
          key,
          seq: this.seqOf(key),
          kind: 'message',
          channel,
          ts: m.ts,
          ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
          text: m.text ?? '',
          ...(m.blocks ? { blocks: m.blocks } : {}),
          edited: m.edited !== undefined,
        });
      }
    }
    this.emu.ephemerals.forEach((e, i) => {
      if (e.superseded || !this.channels.includes(e.channel)) return;
      const key = `e:${i}`;
      out.push({
        key,
        seq: this.seqOf(key),
        kind: 'ephemeral',
        channel: e.channel,
        ts: e.ts,
        text: e.text ?? '',
        ...(e.blocks ? { blocks: e.blocks } : {}),
      });
    });
    return out.sort((a, b) => a.seq - b.seq);
  }

  find(key: string): SandboxItem | undefined {
    return this.items().find((i) => i.key === key);
  }
}
