import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { humanDuration } from '../engine/stamp.js';
import { finding } from './findings.js';
import type { Finding } from './report.js';

// Mirror health from the mirror's own run reports (python-ops-facts §3.11). Dry-run reports (`run:false`)
// never ran rsync, so only `run:true` reports count (the predecessor's docs warn about confusing the two).

interface MirrorRun {
  file: string;
  at: number;
  returncode: number;
}

export async function checkMirror(opsLogsDir: string, staleMinutes: number, now: number): Promise<Finding[]> {
  const dir = path.join(opsLogsDir, 'workspaces_mirror');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^workspaces_mirror__.*\.json$/.test(n));
  } catch {
    names = [];
  }
  const runs: MirrorRun[] = [];
  const unreadable: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
          run?: unknown;
          generated_at?: unknown;
          result?: { returncode?: unknown };
        };
        if (doc.run !== true) return;
        const at = Date.parse(String(doc.generated_at));
        if (Number.isNaN(at)) throw new Error('no generated_at');
        runs.push({ file: name, at, returncode: Number(doc.result?.returncode ?? 1) });
      } catch {
        unreadable.push(name);
      }
    }),
  );
  runs.sort((a, b) => b.at - a.at);
  const findings: Finding[] = [];
  const newest = runs[0];
  if (newest && newest.returncode !== 0) {
    findings.push(
      finding(
        'MIRROR_FAILED',
        1,
        `the last mirror run failed (rsync exit ${newest.returncode}, ${humanDuration(now - newest.at)} ago); see its report's stderr tails`,
        [`logs/ops/workspaces_mirror/${newest.file}`],
      ),
    );
  }
  const lastGood = runs.find((r) => r.returncode === 0);
  if (!lastGood) {
    findings.push(finding('MIRROR_STALE', 1, 'no successful mirror run on record', unreadable.slice(0, 3)));
  } else if (now - lastGood.at > staleMinutes * 60_000) {
    findings.push(
      finding(
        'MIRROR_STALE',
        1,
        `last successful mirror ${humanDuration(now - lastGood.at)} ago (stale after ${staleMinutes} min)`,
        [`logs/ops/workspaces_mirror/${lastGood.file}`],
      ),
    );
  }
  return findings;
}
