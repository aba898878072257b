// What the browser sandbox's server sends the page (`/sandbox/events`, `/sandbox/api/state`) and the fault
// panel's values: one definition for the server (Node) and the page script (browser), so no imports here.

export const SHARE_FAULTS = ['up', 'stub', 'unmounted', 'hung'] as const;
export const DISK_FAULTS = ['normal', 'warn', 'stop'] as const;
export const DRAFT_FAULTS = ['ok', 'broken'] as const;
export type ShareFault = (typeof SHARE_FAULTS)[number];
export type DiskFault = (typeof DISK_FAULTS)[number];
export type DraftFault = (typeof DRAFT_FAULTS)[number];

export interface FaultState {
  share: ShareFault;
  disk: DiskFault;
  draft: DraftFault;
  /** null when 'hung' can be simulated here, else why not (e.g. "needs root and FUSE (fuse3, python3-fusepy)"). */
  hungUnavailable: string | null;
  /** The episode whose draft link the panel breaks, e.g. 'CH01-002' ('' when no Hot episode has a sound link). */
  draftEpisode: string;
  /** One line for each current fault (empty when everything is normal). */
  describe: string[];
}

export interface SandboxItem {
  /** Stable across snapshots: `m:<channel>:<ts>`, `e:<n>` (ephemeral) or `l:<n>` (the page's own line). */
  key: string;
  seq: number;
  kind: 'message' | 'ephemeral' | 'command';
  channel: string;
  ts?: string;
  /** Set on a thread reply: the parent's ts. */
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  edited?: boolean;
}

export interface SandboxChannel {
  id: string;
  name: string;
  purpose: string;
}

export interface PageState {
  user: { id: string; name: string };
  /** The command channel first, then the alert channel. */
  channels: [SandboxChannel, SandboxChannel];
  items: SandboxItem[];
  /** The App Home view's blocks, once opened. */
  home: unknown[] | null;
  faults: FaultState;
  bot: { connected: boolean };
}
