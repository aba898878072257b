import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DoctorReport } from '../doctor/report.js';

/** The newest doctor report under `logs/ops/doctor/` (names carry a sortable UTC stamp), or null. */
export async function newestDoctorReport(dir: string): Promise<DoctorReport | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const newest = names
    .filter((n) => /^doctor__\d{8}T\d{6}Z\.json$/.test(n))
    .sort()
    .reverse();
  // A report being written is not under its final name yet; an unreadable one is skipped for the next older.
  for (const name of newest.slice(0, 3)) {
    try {
      const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as DoctorReport;
      if (doc.schema === 'ytm.ops.doctor.v1' && Array.isArray(doc.findings)) return doc;
    } catch {
      // next
    }
  }
  return null;
}
