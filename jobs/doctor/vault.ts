import path from 'node:path';
import type { GuardLease } from '../../lib/guard/lease.js';
import type { ExistsState, ScanAbsLinksResult } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { VAULT_SENTINEL } from '../../lib/paths.js';
import { finding } from './findings.js';
import type { Finding } from './report.js';

// Vault checks run only while the share is up, and entirely in guarded children: the vault lives on the share.
// The absolute-link scan covers where the predecessor's vault doctor looked (facts §4.4) one level wider: the
// vault's top level, audio/, thumbnails/, video/ and video/input/<dir>/. A full walk over SMB is what made
// the old UI take two minutes.

const SCAN_DIRS = ['', 'audio', 'thumbnails', 'video', 'video/input'];

export async function checkVault(
  vaultRoot: string,
  timeoutMs: number,
  lease: GuardLease | undefined,
): Promise<{ findings: Finding[]; incomplete: string | null }> {
  const sentinel = path.join(vaultRoot, VAULT_SENTINEL);
  const guard = { timeoutMs, ...(lease ? { lease } : {}) };
  const exists = await runGuarded<ExistsState[]>({ op: 'exists', paths: [vaultRoot, sentinel] }, guard);
  if (!exists.ok) return { findings: [], incomplete: `vault not checked: ${exists.message}` };
  if (exists.value[0] !== 'exists') {
    return {
      findings: [finding('VAULT_MISSING', 1, `vault root is missing: ${vaultRoot}`, [vaultRoot])],
      incomplete: null,
    };
  }
  const findings: Finding[] = [];
  if (exists.value[1] !== 'exists') {
    findings.push(
      finding(
        'VAULT_SENTINEL_MISSING',
        1,
        `vault sentinel ${VAULT_SENTINEL} is missing: delete-sync to the vault is refused until it is restored`,
        [sentinel],
      ),
    );
  }
  const scan = await runGuarded<ScanAbsLinksResult>(
    { op: 'scan-abs-links', root: vaultRoot, dirs: SCAN_DIRS, depth: 2 },
    guard,
  );
  if (!scan.ok) return { findings, incomplete: `vault links not scanned: ${scan.message}` };
  const unique = new Map(scan.value.links.map((l) => [l.path, l]));
  const abs = [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (abs.length > 0) {
    findings.push(
      finding(
        'VAULT_ABSOLUTE_SYMLINK',
        abs.length,
        `${abs.length} link(s) inside the vault have absolute targets and break on the other host (run \`ytm vault\`: it scans the whole vault and makes every link into the share relative)`,
        abs.map((l) => `${l.path} -> ${l.target}`),
      ),
    );
  }
  return { findings, incomplete: null };
}
