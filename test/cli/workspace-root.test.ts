// A YTM_WORKSPACE_ROOT that names a missing folder is a configuration problem by name, for the doctor and for
// every job, and nothing is created there (a report written into it would make the next run see "0 episodes").
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ytm-wsroot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (ws: string) => ({ YTM_WORKSPACE_ROOT: ws, YTM_STATE_DIR: path.join(dir, 'state') });

describe('missing workspace root', () => {
  it('doctor: exit 3, the variable named, and the folder is not created', async () => {
    const ws = path.join(dir, 'typo', 'workspaces');
    const r = await runCli(['doctor'], env(ws));
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`YTM_WORKSPACE_ROOT: ${ws} does not exist; nothing was created`);
    expect(existsSync(path.join(dir, 'typo'))).toBe(false);
    const json = await runCli(['doctor', '--json', '--events'], env(ws));
    expect(json.stdout).toContain('"error":"config"');
    expect(existsSync(path.join(dir, 'typo'))).toBe(false);
  });

  it('a job (store) is refused the same way', async () => {
    const ws = path.join(dir, 'typo2');
    const r = await runCli(['store', 'audio/final/CH02/001/CH02-001.wav'], env(ws));
    expect(r.stderr).toContain(`YTM_WORKSPACE_ROOT: ${ws} does not exist`);
    expect(r.exitCode).not.toBe(0);
    expect(existsSync(ws)).toBe(false);
  });

  it('a file in its place is not a folder', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['doctor'], env(file));
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`YTM_WORKSPACE_ROOT: ${file} is not a folder`);
  });
});
