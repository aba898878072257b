// Doctor advice names a command only while the grammar marks it available; otherwise the manual step.
import { afterEach, describe, expect, it } from 'vitest';
import { worksInSlack } from '../../bot/views/help.js';
import { adviceFor } from '../../jobs/doctor/advice.js';
import { finding } from '../../jobs/doctor/findings.js';
import { type CommandSpec, findCommand, helpText } from '../../jobs/grammar.js';

const spec = (name: string) => findCommand(name) as CommandSpec;
const saved = new Map<string, boolean>();
function setAvailable(name: string, available: boolean): void {
  if (!saved.has(name)) saved.set(name, spec(name).available);
  spec(name).available = available;
}
afterEach(() => {
  for (const [name, available] of saved) spec(name).available = available;
  saved.clear();
});

describe('advice follows the grammar', () => {
  it.each([
    ['VAULT_ABSOLUTE_SYMLINK', 'vault', 'ytm vault'],
    ['HOT_RUN_SYMLINK_BROKEN', 'relink', 'ytm relink CHxx-NNN'],
    ['MIRROR_FAILED', 'mirror', 'ytm mirror'],
    ['DISK_STOP', 'archive', 'ytm archive published --channel CHxx'],
  ] as const)('%s: the manual step while `%s` is not available, the command once it is', (code, name, run) => {
    setAvailable(name, false);
    const manual = adviceFor(code);
    expect(manual).toBeTruthy();
    expect(manual).not.toContain(`ytm ${name}`);
    setAvailable(name, true);
    expect(adviceFor(code)).toBe(`run \`${run}\``);
  });

  it('findings carry their advice; no advice names an unavailable command', () => {
    setAvailable('vault', false);
    const f = finding('VAULT_ABSOLUTE_SYMLINK', 1, '1 link(s) inside the vault have absolute targets', ['a -> /b']);
    expect(f.advice).toContain('relative target');
    expect(f.message).not.toContain('ytm vault');
    expect(finding('OUTBOX_PENDING', 1, 'x', ['y']).advice).toBe('run `ytm outbox flush`');
    setAvailable('relink', true);
    const hot = finding('HOT_DRAFT_MISSING', 2, 'x', ['CH02-043: draft gone', 'CH02-044: draft gone']);
    expect(hot.advice).toBe('run `ytm relink CH02-043`');
  });
});

describe('what Slack lists', () => {
  it('only commands that work there: available, and planned on a card or wired read-only', () => {
    setAvailable('vault', false);
    const slack = helpText(undefined, worksInSlack);
    for (const name of ['doctor', 'store', 'outbox', 'plans', 'audit']) expect(slack).toContain(`  ${name} `);
    for (const name of ['vault', 'status', 'bot']) expect(slack).not.toContain(`  ${name} `);
    expect(helpText('status', worksInSlack)).toContain('(in a terminal only)');
    // An available mutating command appears as soon as it lands (it works through a plan card).
    setAvailable('vault', true);
    expect(helpText(undefined, worksInSlack)).toContain('  vault ');
  });
});
