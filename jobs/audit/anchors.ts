// The newest audit anchor: the audit head (`auditHead: {seq, hash}`) that job and doctor reports carry under
// <workspace>/logs/ops/<job>/. They live outside the state dir, so deleting or cutting the log together with its
// head.json still leaves a record the log must contain.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AuditAnchor } from '../../lib/audit/log.js';

const AnchorSchema = z.object({
  auditHead: z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/** `<job>__<YYYYMMDDTHHMMSSZ>[__<short id>].json`, the name every report gets (jobs/engine/stamp.ts). */
const REPORT_NAME = /^[\w.-]+__(\d{8}T\d{6}Z)(?:__[0-9a-f]+)?\.json$/;

/** How many of the newest reports are read to find the anchor with the highest seq. */
const NEWEST_REPORTS = 20;

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

export async function newestAuditAnchor(opsLogsDir: string): Promise<AuditAnchor | undefined> {
  const reports: { file: string; stamp: string }[] = [];
  for (const job of await names(opsLogsDir)) {
    for (const name of await names(path.join(opsLogsDir, job))) {
      const m = REPORT_NAME.exec(name);
      if (m?.[1]) reports.push({ file: path.join(opsLogsDir, job, name), stamp: m[1] });
    }
  }
  reports.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  let best: AuditAnchor | undefined;
  for (const r of reports.slice(0, NEWEST_REPORTS)) {
    const text = await readFile(r.file, 'utf8').catch(() => '');
    let parsed: ReturnType<typeof AnchorSchema.safeParse>;
    try {
      parsed = AnchorSchema.safeParse(JSON.parse(text));
    } catch {
      continue;
    }
    if (parsed.success && (!best || parsed.data.auditHead.seq > best.seq))
      best = { ...parsed.data.auditHead, source: r.file };
  }
  return best;
}
