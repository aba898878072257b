import path from 'node:path';
import { compiledEntry } from '../../lib/guard/entry.js';
import type { GeneratedWorkspace } from '../fixtures/workspace.js';
import { type Measurement, measure, median } from './measure.js';

// `ytm doctor --json` against `find <the same areas> -xtype l` on the same ~200,000-entry workspace, alternating
// runs after a warm-up so both see the same page cache.

export interface DoctorBench {
  entries: number;
  symlinks: number;
  findMs: number;
  doctorMs: number;
  ratio: number;
  doctorPeakRssMiB: number | null;
}

export async function benchDoctor(ws: GeneratedWorkspace, rounds = 5): Promise<DoctorBench> {
  const root = ws.paths.workspace;
  const areas = ['video/input', 'video/runs', 'episodes'].map((a) => path.join(root, a));
  const env = {
    ...ws.env,
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    YTM_ENV_FILE: '/nonexistent',
  };
  const doctor = () => measure(process.execPath, [compiledEntry('jobs/cli.js'), 'doctor', '--json'], env);
  const find = () => measure('find', [...areas, '-xtype', 'l']);
  await find();
  await doctor();
  const d: Measurement[] = [];
  const f: Measurement[] = [];
  for (let i = 0; i < rounds; i++) {
    f.push(await find());
    d.push(await doctor());
  }
  const doctorMs = median(d.map((m) => m.ms));
  const findMs = median(f.map((m) => m.ms));
  const rss = d.map((m) => m.peakRssKiB).filter((v): v is number => v !== null);
  return {
    entries: ws.entries,
    symlinks: ws.symlinks,
    findMs,
    doctorMs,
    ratio: doctorMs / findMs,
    doctorPeakRssMiB: rss.length ? Math.max(...rss) / 1024 : null,
  };
}
