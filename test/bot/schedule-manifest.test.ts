// The schedule manifest: the shipped one is valid and says what issue 9/10 ask (mirror every 10 min asking for
// approval over the delete limit, monitor every YTM_MONITOR_INTERVAL_SEC); every bad entry is named by job and
// field; YTM_SCHEDULE_MANIFEST picks another file; the bot refuses to start on a bad one (exit 78, named).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { compiledEntry } from '../../lib/guard/entry.js';
import { everyToCron, loadScheduleManifest, type ManifestResult } from '../../lib/schedule/manifest.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configWith(env: Record<string, string> = {}) {
  const loaded = loadConfig({
    YTM_ENV_FILE: path.join(dir, 'none.env'),
    YTM_WORKSPACE_ROOT: path.join(dir, 'ws'),
    ...env,
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

function load(yaml: string, env: Record<string, string> = {}): ManifestResult {
  const file = path.join(dir, 'schedule.yaml');
  writeFileSync(file, yaml);
  return loadScheduleManifest(configWith({ YTM_SCHEDULE_MANIFEST: file, ...env }));
}

const messages = (r: ManifestResult) => (r.ok ? [] : r.problems.map((p) => `${p.name}: ${p.message}`));

describe('schedule manifest', () => {
  it('ships a valid manifest: mirror every 10 min asking approval over the delete limit, monitor on the interval setting', () => {
    const r = loadScheduleManifest(configWith({ YTM_MONITOR_INTERVAL_SEC: '30' }));
    if (!r.ok) throw new Error(messages(r).join('\n'));
    expect(r.file).toBe(path.resolve(compiledEntry('.'), '..', 'manifests', 'schedule.yaml'));
    expect(r.entries).toEqual([
      expect.objectContaining({
        name: 'mirror',
        command: ['mirror', '--scheduled', '--run', '--yes'],
        cron: '*/10 * * * *',
        concurrency: 1,
        approvalOnRefusal: ['MIRROR_OVER_DELETE_LIMIT'],
      }),
      expect.objectContaining({
        name: 'monitor',
        command: ['monitor'],
        cron: '*/30 * * * * *',
        concurrency: 1,
        approvalOnRefusal: [],
      }),
    ]);
  });

  it('names every bad entry by job and field', () => {
    const r = load(`
version: 1
jobs:
  nojson:
    command: [status, --json]
    schedule: { everySec: 5 }
    timeoutSec: 10
  badtimeout:
    command: [status]
    schedule: { everySec: 5 }
    timeoutSec: -1
  badpolicy:
    command: [mirror]
    schedule: { cron: "*/10 * * * *" }
    timeoutSec: 10
    approval: sometimes
  noschedule:
    command: [status]
    schedule: { at: noon }
    timeoutSec: 10
  extra:
    command: [status]
    schedule: { everySec: 5 }
    timeoutSec: 10
    retries: 3
`);
    expect(r.ok).toBe(false);
    const text = messages(r).join('\n');
    expect(text).toMatch(/YTM_SCHEDULE_MANIFEST: .*schedule\.yaml: jobs\.nojson\.command: drop --json\/--events/);
    expect(text).toMatch(/jobs\.badtimeout\.timeoutSec: /);
    expect(text).toMatch(/jobs\.badpolicy\.approval: expected none or \{ onRefusal/);
    expect(text).toMatch(/jobs\.noschedule\.schedule: expected \{ cron/);
    expect(text).toMatch(/jobs\.extra: .*retries/);
  });

  it('names a bad cron expression, a job name and an interval cron cannot keep', () => {
    const r = load(
      `
version: 1
jobs:
  Mirror:
    command: [mirror]
    schedule: { cron: "*/10 * * * *" }
    timeoutSec: 10
  typo:
    command: [mirror]
    schedule: { cron: "99 * * * *" }
    timeoutSec: 10
  odd:
    command: [monitor]
    schedule: { everySec: 45 }
    timeoutSec: 10
  monitor:
    command: [monitor]
    schedule: { everySec: YTM_MONITOR_INTERVAL_SEC }
    timeoutSec: 10
`,
      { YTM_MONITOR_INTERVAL_SEC: '90' },
    );
    const text = messages(r).join('\n');
    expect(text).toMatch(/jobs\.Mirror\.\(name\): a job name is a lower-case word/);
    expect(text).toMatch(/jobs\.typo\.schedule: invalid cron expression "99 \* \* \* \*"/);
    expect(text).toMatch(/jobs\.odd\.schedule: every 45 s cannot be kept by cron/);
    expect(text).toMatch(/jobs\.monitor\.schedule: every 90 s \(YTM_MONITOR_INTERVAL_SEC=90\) cannot be kept by cron/);
  });

  it('names a missing file and broken YAML', () => {
    const missing = loadScheduleManifest(configWith({ YTM_SCHEDULE_MANIFEST: path.join(dir, 'nope.yaml') }));
    expect(messages(missing).join('\n')).toMatch(/YTM_SCHEDULE_MANIFEST: .*nope\.yaml: ENOENT/);
    expect(messages(load('version: 1\njobs: [unclosed\n')).join('\n')).toMatch(
      /YTM_SCHEDULE_MANIFEST: .*schedule\.yaml: /,
    );
    expect(messages(load('version: 2\njobs: {}\n')).join('\n')).toMatch(/\(top level\)|version/);
  });

  it('fires every N seconds only where cron can keep the gap', () => {
    expect([1, 5, 30, 60, 120, 600, 3600, 7200, 86_400].map(everyToCron)).toEqual([
      '* * * * * *',
      '*/5 * * * * *',
      '*/30 * * * * *',
      '0 */1 * * * *',
      '0 */2 * * * *',
      '0 */10 * * * *',
      '0 0 */1 * * *',
      '0 0 */2 * * *',
      '0 0 0 * * *',
    ]);
    expect([7, 45, 90, 420, 5400].map(everyToCron)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('the bot does not start on a bad manifest: exit 78 naming YTM_SCHEDULE_MANIFEST and the job', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'version: 1\njobs:\n  mirror:\n    command: [mirror]\n    schedule: { cron: "nope" }\n    timeoutSec: 10\n',
    );
    const r = await execa(process.execPath, [compiledEntry('bot/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        YTM_ENV_FILE: path.join(dir, 'none.env'),
        YTM_WORKSPACE_ROOT: path.join(dir, 'ws'),
        YTM_STATE_DIR: path.join(dir, 'state'),
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        YTM_SCHEDULE_MANIFEST: file,
      },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    expect(r.exitCode).toBe(78);
    expect(r.stderr).toContain('Configuration problems:');
    expect(r.stderr).toMatch(
      /YTM_SCHEDULE_MANIFEST: .*bad\.yaml: jobs\.mirror\.schedule: invalid cron expression "nope"/,
    );
  });
});
