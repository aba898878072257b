import { probeShareInline } from '../../share/probe.js';
import type { ShareProbe, ShareProbeInput } from '../../share/state.js';

export function probeShareOp(input: ShareProbeInput): Promise<ShareProbe> {
  return probeShareInline(input);
}
