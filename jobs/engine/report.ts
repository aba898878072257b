// The run report, like the tools it replaces: <workspace>/logs/ops/<job>/<job>__<STAMP>.json.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readAuditHead } from '../../lib/audit/log.js';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { entryExists } from '../../lib/fs/exists.js';
import { type Paths, reportDir } from '../../lib/paths.js';
import { shortId } from '../../lib/plan/id.js';
import { stampOf } from './stamp.js';

/**
 * Writes the report atomically; a second report in the same second gets the short plan id appended. The report
 * carries the audit head at the time (`auditHead`): an anchor outside the state dir that `ytm audit` checks.
 */
export async function writeJobReport(
  paths: Paths,
  job: string,
  planId: string,
  at: Date,
  report: Record<string, unknown>,
): Promise<string> {
  const dir = reportDir(paths, job);
  await mkdir(dir, { recursive: true });
  let file = join(dir, `${job}__${stampOf(at)}.json`);
  if (await entryExists(file)) file = join(dir, `${job}__${stampOf(at)}__${shortId(planId)}.json`);
  await writeJsonAtomic(file, { ...report, auditHead: await readAuditHead(paths.stateDir).catch(() => null) });
  return file;
}
