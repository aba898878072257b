// The vault job's actions: make one link relative, create one missing required entry, and finally write the
// predecessor's report (facts §3.12, `vault_workspaces_doctor`).
import { z } from 'zod';
import type { JsonValue } from '../../lib/plan/types.js';

export const VaultActionSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('rewrite'),
    /** Relative to the vault root, POSIX. */
    path: z.string().min(1),
    /** The absolute link the plan was made for. */
    link: z.string().min(1),
    /** The absolute target it had when planned. */
    before: z.string().min(1),
    /** The equivalent relative target (from the link's folder, staying inside the share). */
    after: z.string().min(1),
  }),
  z.object({
    op: z.literal('ensure-dir'),
    path: z.string().min(1),
    abs: z.string().min(1),
  }),
  z.object({
    op: z.literal('ensure-link'),
    path: z.string().min(1),
    abs: z.string().min(1),
    /** Relative target: the sibling backup link it aliases. */
    target: z.string().min(1),
  }),
  z.object({
    op: z.literal('report'),
    /** Absolute links whose targets lie outside the share: reported, never touched. */
    outside: z.array(z.object({ path: z.string(), target: z.string() })),
  }),
]);
export type VaultAction = z.infer<typeof VaultActionSchema>;

export function describeVaultAction(raw: JsonValue): string {
  const parsed = VaultActionSchema.safeParse(raw);
  if (!parsed.success) return 'invalid vault action';
  const a = parsed.data;
  switch (a.op) {
    case 'rewrite':
      return `make relative ${a.path}: ${a.before} → ${a.after}`;
    case 'ensure-dir':
      return `create the missing folder ${a.path}`;
    case 'ensure-link':
      return `create the missing ${a.path} → ${a.target} (alias of its backup link)`;
    case 'report':
      return `write the report (logs/ops/vault_workspaces_doctor/)${a.outside.length > 0 ? `, listing ${a.outside.length} link(s) outside the share (not touched)` : ''}`;
  }
}
