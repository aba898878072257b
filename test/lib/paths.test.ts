import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../lib/config.js';
import { effectivePlanningRoot, LAST_RESORT_OUTBOX, outboxRoot, resolvePaths } from '../../lib/paths.js';

function config(env: Record<string, string>): Config {
  const r = loadConfig({ YTM_ENV_FILE: '/nonexistent', ...env });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('paths', () => {
  it('derives namespace, shared base and vault from the share root (facts §1.3)', () => {
    const p = resolvePaths(
      config({ YTM_WORKSPACE_ROOT: '/Users/dd/factory_commentary/workspaces', YTM_SHARED_STORAGE_ROOT: '/mnt/share' }),
    );
    expect(p.namespace).toBe('factory_commentary');
    expect(p.sharedBase).toBe('/mnt/share/uploads/factory_commentary');
    expect(p.vaultRoot).toBe('/mnt/share/ytm_workspaces');
    expect(p.planningLocal).toBe('/Users/dd/factory_commentary/workspaces/planning');
    expect(p.capcutFallbackRoot).toBe('/Users/dd/factory_commentary/workspaces/video/_capcut_drafts');
  });

  it('uses <root>/<ns> and guesses no vault when the share root is named uploads', () => {
    const p = resolvePaths(
      config({
        YTM_WORKSPACE_ROOT: '/w/repo/workspaces',
        YTM_SHARED_STORAGE_ROOT: '/mnt/uploads',
        YTM_SHARED_STORAGE_NAMESPACE: 'ns1',
      }),
    );
    expect(p.sharedBase).toBe('/mnt/uploads/ns1');
    expect(p.vaultRoot).toBeNull();
  });

  it('falls back to local planning when the configured root is on a share that is down or unreachable', () => {
    const p = resolvePaths(
      config({
        YTM_WORKSPACE_ROOT: '/w/ws',
        YTM_SHARED_STORAGE_ROOT: '/mnt/s',
        YTM_PLANNING_ROOT: '/mnt/s/ytm_workspaces/planning',
      }),
    );
    expect(effectivePlanningRoot(p, { state: 'stub' }, null)).toMatchObject({ root: '/w/ws/planning', fallback: true });
    expect(effectivePlanningRoot(p, { state: 'up' }, false)).toMatchObject({ root: '/w/ws/planning', fallback: true });
    expect(effectivePlanningRoot(p, { state: 'up' }, true)).toMatchObject({
      root: '/mnt/s/ytm_workspaces/planning',
      fallback: false,
    });
    const unset = resolvePaths(config({ YTM_WORKSPACE_ROOT: '/w/ws' }));
    expect(effectivePlanningRoot(unset, { state: 'hung' }, null)).toEqual({
      root: '/w/ws/planning',
      fallback: false,
      reason: null,
    });
  });

  it('picks the outbox in the predecessor order: configured, stub link target parent, last resort', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-outbox-'));
    const backup = path.join(dir, 'share__LOCAL_BACKUP__1', 'outbox', 'ytm_share');
    await mkdir(backup, { recursive: true });
    const c = config({ YTM_WORKSPACE_ROOT: '/w/ws' });
    expect(
      outboxRoot(
        config({ YTM_WORKSPACE_ROOT: '/w/ws', YTM_SHARED_STORAGE_FALLBACK_ROOT: '/o' }),
        path.join(backup, 'ytm_workspaces'),
      ).root,
    ).toBe('/o');
    expect(outboxRoot(c, path.join(backup, 'ytm_workspaces')).root).toBe(backup);
    expect(outboxRoot(c, path.join(dir, 'gone', 'ytm_workspaces')).root).toBe(LAST_RESORT_OUTBOX);
    expect(outboxRoot(c, null).root).toBe(LAST_RESORT_OUTBOX);
  });
});
