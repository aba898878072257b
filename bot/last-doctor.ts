// The last doctor verdict the bot saw, kept in the state directory so App Home shows it after a restart.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DoctorReport } from '../jobs/doctor/report.js';
import { writeJsonAtomic } from '../lib/fs/atomic.js';

export const LastDoctorSchema = z.object({
  status: z.enum(['ok', 'warn', 'crit']),
  exitCode: z.number().int(),
  generatedAt: z.string(),
  host: z.string(),
  findings: z.array(z.object({ code: z.string(), severity: z.string(), count: z.number() })),
  reportPath: z.string().nullable(),
});
export type LastDoctor = z.infer<typeof LastDoctorSchema>;

export const lastDoctorFile = (stateDir: string) => path.join(stateDir, 'bot', 'last-doctor.json');

export async function saveLastDoctor(stateDir: string, r: DoctorReport): Promise<void> {
  const value: LastDoctor = {
    status: r.status,
    exitCode: r.exitCode,
    generatedAt: r.generatedAt,
    host: r.host,
    findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, count: f.count })),
    reportPath: r.reportPath,
  };
  await mkdir(path.dirname(lastDoctorFile(stateDir)), { recursive: true });
  await writeJsonAtomic(lastDoctorFile(stateDir), value);
}

export async function loadLastDoctor(stateDir: string): Promise<LastDoctor | null> {
  try {
    const parsed = LastDoctorSchema.safeParse(JSON.parse(await readFile(lastDoctorFile(stateDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
