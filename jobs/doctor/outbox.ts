import type { Config } from '../../lib/config.js';
import { listOutbox } from '../outbox/list.js';
import { knownOutboxRoots } from '../outbox/roots.js';
import { finding } from './findings.js';
import type { Finding } from './report.js';

/**
 * Files stored to a local outbox while the share was down and not yet flushed: the same listing as `ytm outbox`
 * (every outbox a store wrote to, manifests and temp files excluded), so the two never disagree.
 */
export async function checkOutbox(
  config: Config,
  stateDir: string,
  namespace: string,
  stubVaultLinkTarget: string | null,
): Promise<Finding[]> {
  const files = await listOutbox(await knownOutboxRoots(config, stateDir, stubVaultLinkTarget), namespace);
  if (files.length === 0) return [];
  const bases = [...new Set(files.map((f) => f.base))].join(', ');
  return [
    finding(
      'OUTBOX_PENDING',
      files.length,
      `${files.length} file(s) wait in the local outbox (${bases}) for the share`,
      files.map((f) => f.rel),
    ),
  ];
}
