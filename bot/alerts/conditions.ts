// A monitor snapshot as alert conditions, one per key at most. Pure. Disk uses hysteresis: once an alert is
// open at a line, it holds that line until free space is `diskMarginBytes` above it.
import type { Finding } from '../../jobs/doctor/report.js';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import type { AlertKey, AlertSettings, AlertSeverity, Condition } from './types.js';

const EPISODE = /CH\d{2}-\d{3}/;

export interface Evaluation {
  conditions: Condition[];
  /** Keys whose check did not run this time: neither raised nor cleared. */
  unknown: AlertKey[];
}

/** `previous`: the severity each key's open alert has (hysteresis needs it). */
export function conditionsOf(
  s: MonitorSnapshot,
  previous: Partial<Record<AlertKey, AlertSeverity>>,
  settings: Pick<AlertSettings, 'diskMarginBytes'>,
): Evaluation {
  const out: Condition[] = [];
  const by = (code: string) => s.findings.find((f) => f.code === code);
  const share = s.share.state;
  if (share !== 'up' && share !== 'unconfigured') {
    const stuck = [...s.share.stuckProbes].sort((a, b) => (a.since < b.since ? -1 : 1))[0];
    out.push({
      key: 'share',
      severity: 'warn',
      variant: share,
      facts: {
        state: share,
        reason: s.share.reason,
        root: s.share.root,
        stuckSince: stuck?.since ?? null,
        stuckPid: stuck?.pid ?? null,
        stuckCount: s.share.stuckProbes.length,
      },
      details: s.share.reason ? [s.share.reason] : [],
    });
  }

  const disk = diskCondition(s, previous.disk, settings.diskMarginBytes);
  if (disk) out.push(disk);

  const failed = by('MIRROR_FAILED');
  const stale = by('MIRROR_STALE');
  if (failed || stale) {
    out.push({
      key: 'mirror',
      severity: 'warn',
      variant: failed ? 'failed' : 'stale',
      facts: {
        exit: failed ? Number(/rsync exit (\d+)/.exec(failed.message)?.[1] ?? Number.NaN) : null,
        lastOkAgo: stale ? (/last successful mirror (.+?) ago/.exec(stale.message)?.[1] ?? null) : null,
        never: stale ? /no successful mirror/.test(stale.message) : false,
      },
      details: [failed, stale].filter((f): f is Finding => !!f).map((f) => f.message),
    });
  }

  const d = s.drift;
  const changes = d ? d.created + d.updated + d.deleted : 0;
  if (d && changes > 0) {
    out.push({
      key: 'drift',
      severity: 'warn',
      variant: 'pending',
      facts: { changes, created: d.created, updated: d.updated, deleted: d.deleted, bytes: d.bytes, at: d.measuredAt },
      details: [],
    });
  }

  const planning = by('PLANNING_FALLBACK');
  if (planning) {
    out.push({
      key: 'planning',
      severity: 'warn',
      variant: 'fallback',
      facts: { configured: s.planning.configured, effective: s.planning.effective },
      details: [planning.message],
    });
  }

  // While the share is down the outbox is where stores belong; it is a backlog only once the share is up.
  const outbox = by('OUTBOX_PENDING');
  if (outbox && share === 'up') {
    out.push({
      key: 'outbox',
      severity: 'warn',
      variant: 'pending',
      facts: { files: outbox.count },
      details: outbox.examples,
    });
  }

  const hot = s.findings.filter((f) => f.code.startsWith('HOT_'));
  if (hot.length > 0) {
    const episodes = [
      ...new Set(hot.flatMap((f) => f.examples.map((e) => EPISODE.exec(e)?.[0]).filter((e): e is string => !!e))),
    ].sort();
    out.push({
      key: 'hot',
      severity: 'crit',
      variant: 'violations',
      facts: {
        count: hot.reduce((n, f) => n + f.count, 0),
        episodes: episodes.join(' '),
        reportAt: s.doctor?.generatedAt ?? null,
      },
      details: hot.map((f) => `${f.code} (${f.count}): ${f.message}`),
    });
  }

  const unknown = new Set<AlertKey>();
  for (const i of s.incomplete) {
    const name = i.split(':')[0] ?? '';
    if (name === 'disk' || name === 'mirror' || name === 'outbox' || name === 'planning') unknown.add(name);
  }
  return { conditions: out, unknown: [...unknown] };
}

function diskCondition(s: MonitorSnapshot, previous: AlertSeverity | undefined, margin: number): Condition | null {
  const { freeBytes: free, warnBytes: warn, stopBytes: stop } = s.disk;
  if (free === null) return null;
  let line: 'stop' | 'warn' | null = null;
  if (free <= stop || (previous === 'crit' && free <= stop + margin)) line = 'stop';
  else if (free <= warn || (previous !== undefined && free <= warn + margin)) line = 'warn';
  if (!line) return null;
  return {
    key: 'disk',
    severity: line === 'stop' ? 'crit' : 'warn',
    variant: line,
    facts: { free, line: line === 'stop' ? stop : warn, lineName: line, margin, path: s.disk.path },
    details: [],
  };
}
