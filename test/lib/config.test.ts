import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig, slackProblems } from '../../lib/config.js';

const base = { YTM_WORKSPACE_ROOT: '/srv/ws', YTM_ENV_FILE: '/nonexistent/.env' };

describe('config', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.YTM_DISK_WARN_GIB).toBe(150);
    expect(r.config.YTM_DISK_STOP_GIB).toBe(80);
    expect(r.config.YTM_SHARE_PROBE_TIMEOUT_MS).toBe(3000);
    expect(r.config.YTM_DOCTOR_BUDGET_SEC).toBe(20);
    expect(r.config.YTM_PLAN_TTL_MIN).toBe(30);
    expect(r.config.YTM_MONITOR_INTERVAL_SEC).toBe(60);
    expect(r.config.YTM_SHARED_STORAGE_MOUNT_REQUIRED).toBe(true);
    expect(r.config.YTM_EMERGENCY_OVERRIDE).toBe(false);
    expect(r.config.YTM_SLACK_APPROVERS).toEqual([]);
  });

  it('reports every problem at once, by variable name', () => {
    const r = loadConfig({
      ...base,
      YTM_DISK_WARN_GIB: '-1',
      YTM_RSYNC_TIMEOUT_SEC: '1.5',
      YTM_EMERGENCY_OVERRIDE: 'maybe',
      YTM_SLACK_ALLOWED_CHANNELS: 'general',
      SLACK_API_URL: 'ftp://x',
      YTM_SHARED_STORAGE_NAMESPACE: '../etc',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.name).sort()).toEqual(
      [
        'SLACK_API_URL',
        'YTM_DISK_WARN_GIB',
        'YTM_EMERGENCY_OVERRIDE',
        'YTM_RSYNC_TIMEOUT_SEC',
        'YTM_SHARED_STORAGE_NAMESPACE',
        'YTM_SLACK_ALLOWED_CHANNELS',
      ].sort(),
    );
  });

  it('accepts the predecessor booleans, ~ paths and ID lists', () => {
    const r = loadConfig({
      ...base,
      YTM_EMERGENCY_OVERRIDE: 'YES',
      YTM_SHARED_STORAGE_ROOT: '~/mounts/lenovo_share_real',
      YTM_SLACK_APPROVERS: 'U01ABC, U02DEF  W03GHI',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.YTM_EMERGENCY_OVERRIDE).toBe(true);
    expect(r.config.YTM_SHARED_STORAGE_ROOT).toBe(path.join(os.homedir(), 'mounts/lenovo_share_real'));
    expect(r.config.YTM_SLACK_APPROVERS).toEqual(['U01ABC', 'U02DEF', 'W03GHI']);
    expect(r.config.SLACK_API_URL).toBe('http://127.0.0.1:9999/api/');
  });

  it('refuses a stop line above the warn line and a state dir on the share', () => {
    const r = loadConfig({
      ...base,
      YTM_DISK_WARN_GIB: '50',
      YTM_DISK_STOP_GIB: '80',
      YTM_SHARED_STORAGE_ROOT: '/mnt/share',
      YTM_STATE_DIR: '/mnt/share/state',
    });
    expect(r.ok ? [] : r.problems.map((p) => p.name).sort()).toEqual(['YTM_DISK_STOP_GIB', 'YTM_STATE_DIR']);
  });

  it('refuses upload roots inside the workspace, by variable name', () => {
    const r = loadConfig({
      ...base,
      YTM_SHARED_STORAGE_ROOT: '/srv/ws/share',
      YTM_SHARED_STORAGE_FALLBACK_ROOT: '/SRV/WS/outbox', // case-insensitive, like the Mac's volumes
    });
    expect(r.ok ? [] : r.problems.map((p) => p.name).sort()).toEqual([
      'YTM_SHARED_STORAGE_FALLBACK_ROOT',
      'YTM_SHARED_STORAGE_ROOT',
    ]);
    expect(r.ok ? '' : r.problems.map((p) => p.message).join('\n')).toContain('/srv/ws/share/uploads/');
    // An outbox root that merely contains the workspace (its uploads folder does not) is fine.
    expect(
      loadConfig({ ...base, YTM_SHARED_STORAGE_ROOT: '/mnt/share', YTM_SHARED_STORAGE_FALLBACK_ROOT: '/srv' }).ok,
    ).toBe(true);
  });

  it('reads .env without overriding the environment', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-env-'));
    await writeFile(path.join(dir, '.env'), 'YTM_WORKSPACE_ROOT=/from/file\nYTM_DISK_WARN_GIB=99\n');
    const r = loadConfig({ YTM_DISK_WARN_GIB: '120' }, dir);
    expect(r.ok && r.config.YTM_WORKSPACE_ROOT).toBe('/from/file');
    expect(r.ok && r.config.YTM_DISK_WARN_GIB).toBe(120);
  });

  it('names the Slack tokens the bot needs', () => {
    const r = loadConfig({ ...base, SLACK_BOT_TOKEN: 'xapp-wrong' });
    expect(r.ok && slackProblems(r.config).map((p) => p.name)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
  });

  it('documents every variable of the schema in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const missing = Object.keys(configSchema.shape).filter(
      (name) => name !== 'CAPCUT_DRAFT_ROOT' && !new RegExp(`^#?\\s*${name}=`, 'm').test(example),
    );
    expect(missing).toEqual([]);
  });

  it('accepts no variable that nothing reads (every schema name is used outside lib/config.ts)', () => {
    const root = new URL('../../', import.meta.url);
    const sources = ['lib', 'jobs', 'bot']
      .flatMap((dir) =>
        readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)),
      )
      .filter((f) => f.endsWith('.ts') && f !== path.join('lib', 'config.ts'))
      .map((f) => readFileSync(new URL(f, root), 'utf8'))
      .join('\n');
    const unread = Object.keys(configSchema.shape).filter((name) => !new RegExp(`\\b${name}\\b`).test(sources));
    expect(unread).toEqual([]);
  });

  it('lists in .env.example only variables that something reads', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string);
    expect(listed.filter((name) => !(name in configSchema.shape))).toEqual([]);
  });
});
