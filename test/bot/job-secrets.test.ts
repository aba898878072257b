// Item: Slack tokens must never reach a job child. The bot starts children through JobControl with a scrubbed
// environment, but a child reloads YTM_ENV_FILE (or ./.env): with the tokens in that file, neither the child's
// environment nor the configuration it loads may hold them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobControl } from '../../bot/job-control.js';
import { compiledEntry } from '../../lib/guard/entry.js';
import { createLogger } from '../../lib/log.js';

const BOT_TOKEN = 'xoxb-111-222-secretbotvalue';
const APP_TOKEN = 'xapp-1-A111-333-secretappvalue';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a job child of the bot', () => {
  it('holds no SLACK_ token in its environment or its loaded configuration, with the tokens in its env file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ytm-secrets-'));
    const envFile = path.join(dir, '.env');
    writeFileSync(
      envFile,
      [
        `SLACK_BOT_TOKEN=${BOT_TOKEN}`,
        `SLACK_APP_TOKEN=${APP_TOKEN}`,
        'SLACK_API_URL=http://127.0.0.1:9/api/',
        `YTM_WORKSPACE_ROOT=${path.join(dir, 'ws')}`,
        `YTM_STATE_DIR=${path.join(dir, 'state')}`,
        '',
      ].join('\n'),
    );
    // The bot's own environment, as when the tokens are also exported in its shell.
    const botEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      YTM_ENV_FILE: envFile,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
    };
    const jobs = new JobControl(
      createLogger({ level: 'silent', name: 'test' }),
      compiledEntry('test/bot/support/config-dump-child.js'),
      botEnv,
    );
    const outcome = await jobs.run({ args: ['doctor'], timeoutMs: 30_000 }).done;
    expect(outcome.status, outcome.stderrTail).toBe('exited');
    const data = outcome.result as { configOk: boolean; config: Record<string, unknown>; env: Record<string, string> };
    expect(data.configOk).toBe(true);
    // The child did read the file (its workspace comes from there) ...
    expect(data.config.YTM_WORKSPACE_ROOT).toBe(path.join(dir, 'ws'));
    // ... but kept none of the Slack secrets, by name or by value.
    expect(Object.keys(data.env).filter((k) => k.startsWith('SLACK_'))).toEqual([]);
    expect(data.config.SLACK_BOT_TOKEN ?? null).toBeNull();
    expect(data.config.SLACK_APP_TOKEN ?? null).toBeNull();
    const all = JSON.stringify(data);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(APP_TOKEN);
  });
});
