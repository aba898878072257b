import type { ShareProbe } from '../../lib/share/state.js';
import { finding } from './findings.js';
import type { Finding, FindingCode } from './report.js';

const CODES: Record<Exclude<ShareProbe['state'], 'up'>, FindingCode> = {
  unconfigured: 'SHARE_UNCONFIGURED',
  stub: 'SHARE_STUB',
  unmounted: 'SHARE_UNMOUNTED',
  degraded: 'SHARE_DEGRADED',
  hung: 'SHARE_HUNG',
};

const ADVICE: Record<Exclude<ShareProbe['state'], 'up'>, string> = {
  unconfigured: 'set YTM_SHARED_STORAGE_ROOT to the share mountpoint',
  stub: 'the vault host is down or the mount agent replaced the mount with its stub; stores go to the local outbox',
  unmounted:
    'mount the share (Finder: Go > Connect to Server, or the mount agent of this Mac); stores go to the local outbox',
  degraded: 'the share is mounted but its uploads folder is missing; check the share and YTM_SHARED_STORAGE_NAMESPACE',
  hung: 'the share does not answer; file operations on it would block; remount it',
};

export function shareFindings(probe: ShareProbe): Finding[] {
  if (probe.state === 'up') return [];
  const code = CODES[probe.state];
  const where = probe.root ? ` (${probe.root})` : '';
  return [
    finding(
      code,
      1,
      `share ${probe.state}${where}: ${probe.reason}. ${ADVICE[probe.state]}`,
      probe.root ? [probe.root] : [],
    ),
  ];
}
