// A minimal factory workspace for the store/outbox tests: the predecessor's layout (facts §1.2, §1.3), a
// planning CSV with one unposted, one posted and one lock-published episode, a share that is up (a plain
// directory unless the caller mounts one), an outbox root and a state dir. Real files, written synchronously.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HEADER_CH02_FAMILY } from '../../fixtures/names.js';

export const NS = 'factory_commentary';

export interface MiniWorkspace {
  dir: string;
  repo: string;
  ws: string;
  share: string;
  base: string;
  outbox: string;
  outboxBase: string;
  state: string;
  env: Record<string, string>;
}

const HEADER = HEADER_CH02_FAMILY.split(',');

function row(video: string, progress: string, title: string): string {
  const cells = HEADER.map((h) => {
    if (h === 'No.') return String(Number(video));
    if (h === 'チャンネル') return 'CH02';
    if (h === '動画番号') return String(Number(video));
    if (h === '動画ID' || h === '台本番号') return `CH02-${video}`;
    if (h === 'タイトル') return title;
    if (h === '進捗') return progress;
    return '';
  });
  return cells.join(',');
}

export function writeFile(p: string, content: string | Uint8Array): string {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

export function sha256Of(p: string): string {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

/**
 * Episodes: CH02-043 unposted, CH02-044 posted (CSV), CH02-045 published by status.json lock only.
 * `repoParent` puts the factory repo (and so the workspace) on another volume; the caller removes it.
 */
export function miniWorkspace(
  opts: { shareRoot?: string; mountRequired?: boolean; prefix?: string; repoParent?: string } = {},
): MiniWorkspace {
  const dir = mkdtempSync(path.join(tmpdir(), opts.prefix ?? 'ytm-store-'));
  const repo = path.join(opts.repoParent ?? dir, NS);
  const ws = path.join(repo, 'workspaces');
  const share = opts.shareRoot ?? path.join(dir, 'share');
  const base = path.join(share, 'uploads', NS);
  const outbox = path.join(dir, 'outbox');
  const state = path.join(dir, 'state');
  mkdirSync(base, { recursive: true });
  mkdirSync(state, { recursive: true });
  mkdirSync(outbox, { recursive: true });
  mkdirSync(path.join(ws, 'logs', 'agent_tasks', 'coordination', 'locks'), { recursive: true });
  writeFile(
    path.join(ws, 'planning', 'channels', 'CH02.csv'),
    `${[HEADER_CH02_FAMILY, row('043', '音声生成: completed', '未投稿'), row('044', '投稿済み', '投稿済'), row('045', '編集中', 'ロック')].join('\n')}\n`,
  );
  for (const [no, lock] of [
    ['043', false],
    ['044', false],
    ['045', true],
  ] as const) {
    const ep = `CH02-${no}`;
    writeFile(
      path.join(ws, 'scripts', 'CH02', no, 'status.json'),
      JSON.stringify({ script_id: ep, metadata: { published_lock: lock } }),
    );
    writeFile(path.join(ws, 'scripts', 'CH02', no, 'content', 'assembled_human.md'), `# ${ep}\n本文\n`);
    writeFile(path.join(ws, 'audio', 'final', 'CH02', no, `${ep}.wav`), randomBytes(64 * 1024 + Number(no)));
    writeFile(path.join(ws, 'audio', 'final', 'CH02', no, `${ep}.srt`), `1\n00:00:00,000 --> 00:00:01,000\n${ep}\n`);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    YTM_ENV_FILE: path.join(dir, 'no-such.env'),
    YTM_REPO_ROOT: repo,
    YTM_WORKSPACE_ROOT: ws,
    YTM_SHARED_STORAGE_ROOT: share,
    YTM_SHARED_STORAGE_NAMESPACE: NS,
    YTM_SHARED_STORAGE_MOUNT_REQUIRED: opts.mountRequired ? '1' : '0',
    YTM_SHARED_STORAGE_FALLBACK_ROOT: outbox,
    YTM_STATE_DIR: state,
    YTM_SHARE_PROBE_TIMEOUT_MS: '5000',
  };
  return { dir, repo, ws, share, base, outbox, outboxBase: path.join(outbox, 'uploads', NS), state, env };
}
