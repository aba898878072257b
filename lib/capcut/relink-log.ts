// The relink log, in the predecessor's place and shape (facts §3.13, rollout plan §0.2.3): one JSON line per
// applied relink, appended to `logs/ops/hot_assets_doctor/relink_applied__<YYYYMMDD>.jsonl` (UTC date).
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../fs/atomic.js';
import type { PathRef } from '../planning/draft-info.js';

export interface RelinkLogLine {
  at: string;
  episode: string;
  run_id: string;
  run_dir: string;
  old_draft_path: string | null;
  new_draft_dir: string;
  symlink_backup: string | null;
  draft_path_ref: PathRef | null;
  mode: 'run';
  result: 'ok';
  /** Ours: the plan that did it and who approved it. */
  plan_id: string;
  actor: string;
}

export function relinkLogFile(opsLogsDir: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return path.join(opsLogsDir, 'hot_assets_doctor', `relink_applied__${day}.jsonl`);
}

/** Appends one line and syncs it: the line is on disk before the apply reports success. */
export async function appendRelinkLog(opsLogsDir: string, line: RelinkLogLine): Promise<string> {
  const file = relinkLogFile(opsLogsDir, new Date(line.at));
  await mkdir(path.dirname(file), { recursive: true });
  const fh = await open(file, 'a', 0o644);
  try {
    await fh.appendFile(`${JSON.stringify(line)}\n`);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fsyncDir(path.dirname(file));
  return file;
}
