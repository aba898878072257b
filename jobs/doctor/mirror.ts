import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { humanDuration } from '../engine/stamp.js';
import { finding } from './findings.js';
import type { Finding, MirrorHealth } from './report.js';

// Mirror health from the mirror's own run reports (python-ops-facts §3.11). Runs are the `run:true` reports:
// a skip (share not up, another run in progress) is a run that neither failed nor succeeded. Success is
// `outcome: 'ok'`, or for the predecessor's reports (no outcome) `returncode 0`. The drift is the newest dry
// run (`run:false`, rsync -n) that measured something: what a run would have created, updated and deleted.

interface MirrorDoc {
  file: string;
  at: number;
  run: boolean;
  outcome: 'ok' | 'failed' | 'skipped' | 'over-limit';
  returncode: number;
  counts: { created: number; updated: number; deleted: number; bytes: number } | null;
}

const OUTCOMES = new Set(['ok', 'failed', 'skipped', 'over-limit']);

function parseDoc(file: string, text: string): MirrorDoc | null {
  const doc = JSON.parse(text) as {
    run?: unknown;
    generated_at?: unknown;
    outcome?: unknown;
    counts?: Record<string, unknown>;
    result?: { returncode?: unknown };
  };
  const at = Date.parse(String(doc.generated_at));
  if (Number.isNaN(at)) throw new Error('no generated_at');
  const returncode = Number(doc.result?.returncode ?? 1);
  const outcome = OUTCOMES.has(String(doc.outcome))
    ? (doc.outcome as MirrorDoc['outcome'])
    : returncode === 0
      ? 'ok'
      : 'failed';
  const c = doc.counts;
  const counts =
    c && ['created', 'updated', 'deleted', 'bytes'].every((k) => typeof c[k] === 'number')
      ? { created: Number(c.created), updated: Number(c.updated), deleted: Number(c.deleted), bytes: Number(c.bytes) }
      : null;
  return { file, at, run: doc.run === true, outcome, returncode, counts };
}

async function readDocs(dir: string): Promise<{ docs: MirrorDoc[]; unreadable: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^workspaces_mirror__.*\.json$/.test(n));
  } catch {
    names = [];
  }
  const docs: MirrorDoc[] = [];
  const unreadable: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        const d = parseDoc(name, await readFile(path.join(dir, name), 'utf8'));
        if (d) docs.push(d);
      } catch {
        unreadable.push(name);
      }
    }),
  );
  docs.sort((a, b) => b.at - a.at || (a.file < b.file ? 1 : -1));
  return { docs, unreadable };
}

export async function checkMirror(
  opsLogsDir: string,
  staleMinutes: number,
  now: number,
): Promise<{ findings: Finding[]; mirror: MirrorHealth }> {
  const { docs, unreadable } = await readDocs(path.join(opsLogsDir, 'workspaces_mirror'));
  const runs = docs.filter((d) => d.run);
  const findings: Finding[] = [];
  const newest = runs.find((r) => r.outcome !== 'skipped');
  if (newest && newest.outcome !== 'ok') {
    const what =
      newest.outcome === 'over-limit' ? 'stopped at the delete limit' : `failed (rsync exit ${newest.returncode})`;
    findings.push(
      finding(
        'MIRROR_FAILED',
        1,
        `the last mirror run ${what}, ${humanDuration(now - newest.at)} ago; see its report's stderr tails`,
        [`logs/ops/workspaces_mirror/${newest.file}`],
      ),
    );
  }
  const lastGood = runs.find((r) => r.outcome === 'ok');
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
  const measured = docs.find((d) => !d.run && d.outcome !== 'skipped' && d.counts !== null);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    findings,
    mirror: {
      lastRunAt: iso(runs[0]?.at),
      lastSuccessAt: iso(lastGood?.at),
      lastResult: runs[0]?.outcome ?? null,
      drift: measured?.counts ? { ...measured.counts, measuredAt: new Date(measured.at).toISOString() } : null,
    },
  };
}
