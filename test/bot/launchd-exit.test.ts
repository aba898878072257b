// launchd restarts a KeepAlive job after every non-zero exit, so under the LaunchAgent (XPC_SERVICE_NAME is its
// Label) a configuration error exits 0 and says how to start again; elsewhere it keeps the distinct code 78
// (systemd's RestartPreventExitStatus).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bot', 'main.js');

async function startWithBadConfig(extra: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ytm-launchd-'));
  try {
    return await execa(process.execPath, [MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        YTM_ENV_FILE: path.join(dir, 'none.env'),
        YTM_WORKSPACE_ROOT: dir,
        YTM_SLACK_ALLOWED_USERS: 'bob',
        ...extra,
      },
      extendEnv: false,
      reject: false,
      timeout: 20_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('configuration error under launchd', () => {
  it('exits 0 under the LaunchAgent so KeepAlive does not restart it, naming the problem and the restart command', async () => {
    const r = await startWithBadConfig({ XPC_SERVICE_NAME: 'com.ytm-ops.bot' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('YTM_SLACK_ALLOWED_USERS');
    expect(r.stderr).toContain('launchctl kickstart -k gui/$(id -u)/com.ytm-ops.bot');
  });

  it('exits 78 anywhere else (a terminal, systemd, another launchd job)', async () => {
    expect((await startWithBadConfig({})).exitCode).toBe(78);
    expect((await startWithBadConfig({ XPC_SERVICE_NAME: 'application.com.apple.Terminal' })).exitCode).toBe(78);
  });
});
