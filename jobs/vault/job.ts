// The `vault` job: make the vault's links portable (facts §4.4). Mac and Linux mount the share at different
// paths, so a link inside the vault with an absolute target works on one host only; each one whose target lies
// under the share is rewritten as the equivalent relative link. Links outside the share are reported only.
import { z } from 'zod';
import type { Job } from '../engine/types.js';
import { describeVaultAction } from './action.js';
import { applyVaultAction } from './apply.js';
import { planVault } from './plan.js';

export const VaultInputSchema = z.object({});
export type VaultInput = z.infer<typeof VaultInputSchema>;

export const vaultJob: Job<VaultInput> = {
  name: 'vault',
  summary: 'make links inside the vault relative so they work on every host',
  input: VaultInputSchema,
  mutates: true,
  // A rewritten link names the same target; nothing is removed.
  destructive: () => false,
  plan: planVault,
  describeAction: describeVaultAction,
  applyAction: (action, _index, ctx, planId) => applyVaultAction(action, ctx, planId),
};
