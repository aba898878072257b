// A misspelled YTM_* variable is not ignored without a word: loading the configuration warns with the closest
// known name and says where the name came from. Known names and the documented leftovers stay quiet.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConfigProblem, loadConfig } from '../../lib/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ytm-config-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(fileText: string, env: Record<string, string> = {}): ConfigProblem[] {
  const envFile = path.join(dir, '.env');
  writeFileSync(envFile, fileText);
  const warnings: ConfigProblem[] = [];
  const r = loadConfig({ YTM_ENV_FILE: envFile, ...env }, dir, { warn: (w) => warnings.push(w) });
  expect(r.ok).toBe(true);
  return warnings;
}

describe('unknown YTM_* variables', () => {
  it('YTM_DISK_WARN=5 in .env warns naming YTM_DISK_WARN_GIB and the file', () => {
    const w = load(`YTM_WORKSPACE_ROOT=${dir}\nYTM_DISK_WARN=5\n`);
    expect(w).toEqual([
      {
        name: 'YTM_DISK_WARN',
        message: `unknown variable (in ${path.join(dir, '.env')}), ignored; did you mean YTM_DISK_WARN_GIB?`,
      },
    ]);
  });

  it('a misspelling in the environment says so, and a name like nothing known gets no guess', () => {
    const w = load(`YTM_WORKSPACE_ROOT=${dir}\n`, {
      YTM_SLACK_APROVERS: 'U0123ABCD',
      YTM_COMPLETELY_DIFFERENT_THING: '1',
    });
    expect(w.map((x) => [x.name, x.message])).toEqual([
      ['YTM_SLACK_APROVERS', 'unknown variable (in the environment), ignored; did you mean YTM_SLACK_APPROVERS?'],
      ['YTM_COMPLETELY_DIFFERENT_THING', 'unknown variable (in the environment), ignored'],
    ]);
  });

  it('known names, YTM_ENV_FILE, the predecessor leftovers and non-YTM names are quiet', () => {
    expect(
      load(
        `YTM_WORKSPACE_ROOT=${dir}\nYTM_DISK_WARN_GIB=500\nYTM_MIRROR_NICE=10\nYTM_ASSET_VAULT_ROOT=/x\nLLM_AGENT_NAME=a\n`,
      ),
    ).toEqual([]);
  });
});
