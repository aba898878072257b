// The terminal sandbox and the demo as a newcomer meets them: Slack markup rendered as text, buttons that can be
// pressed, a workspace that is kept between runs, no finding from this machine's real disk, and the README's
// example plan (`/ytm store --episode CH01-003`) approved from the terminal.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buttonsIn, parseSandboxLine } from './buttons.js';
import { renderBlocks, slackText } from './render.js';
import { demoWorkspace } from './workspace.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'ytm-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Slack markup as text', () => {
  it('decodes entities, dates, mentions, channels and links', () => {
    expect(slackText('usage: /ytm store &lt;path&gt; &amp; more')).toBe('usage: /ytm store <path> & more');
    expect(slackText('checked <!date^1767225600^{date_short} {time}|2026-01-01 00:00>')).toBe(
      'checked 2026-01-01 00:00 UTC',
    );
    expect(slackText('by <@U0123ABCD> in <#C0123ABCD> and <#C0456|ops>: <https://x.test/r|the report>')).toBe(
      'by @U0123ABCD in #C0123ABCD and #ops: the report (https://x.test/r)',
    );
    expect(renderBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '&lt;command&gt;' } }])).toBe('<command>');
    expect(renderBlocks([], 'a &lt;b&gt;')).toBe('a <b>');
  });
});

describe('sandbox buttons', () => {
  const messages = [
    {
      ts: '1.1',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'doctor.rerun', text: { text: 'Run doctor again' } }],
        },
      ],
    },
    {
      ts: '2.1',
      blocks: [
        { type: 'section', text: { text: 'Plan' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'plan.approve', text: { text: 'Approve' } },
            { type: 'button', action_id: 'plan.cancel', text: { text: 'Cancel' } },
          ],
        },
      ],
    },
  ];

  it('numbers every button; approve/cancel press the newest; click <n> presses that one', () => {
    const buttons = buttonsIn(messages);
    expect(buttons.map((b) => [b.n, b.label, b.messageTs])).toEqual([
      [1, 'Run doctor again', '1.1'],
      [2, 'Approve', '2.1'],
      [3, 'Cancel', '2.1'],
    ]);
    expect(parseSandboxLine('approve', buttons)).toMatchObject({ kind: 'press', button: { actionId: 'plan.approve' } });
    expect(parseSandboxLine('click 1', buttons)).toMatchObject({ kind: 'press', button: { actionId: 'doctor.rerun' } });
    expect(parseSandboxLine('click 9', buttons).kind).toBe('error');
    expect(parseSandboxLine('approve', []).kind).toBe('error');
    expect(parseSandboxLine('/ytm store --episode CH01-003', buttons)).toEqual({
      kind: 'slash',
      text: 'store --episode CH01-003',
    });
  });
});

describe('demo workspace', () => {
  it('is kept between runs with what was stored in it, replaced only on --reset, and has 0 GiB disk lines', async () => {
    const ws = path.join(dir, 'kept');
    const first = await demoWorkspace(ws, { reset: false, faults: true, channels: 1, episodesPerChannel: 2 });
    expect(first.made).toBe(true);
    expect(first.env.YTM_DISK_WARN_GIB).toBe('0');
    expect(first.env.YTM_DISK_STOP_GIB).toBe('0');
    const stored = path.join(ws, 'something-you-stored.txt');
    writeFileSync(stored, 'mine');
    const again = await demoWorkspace(ws, { reset: false, faults: true, channels: 1, episodesPerChannel: 2 });
    expect(again).toMatchObject({ made: false, env: first.env });
    expect(existsSync(stored)).toBe(true);
    const reset = await demoWorkspace(ws, { reset: true, faults: true, channels: 1, episodesPerChannel: 2 });
    expect(reset.made).toBe(true);
    expect(existsSync(stored)).toBe(false);
  });

  it('refuses to replace a folder that is not a demo workspace', async () => {
    const other = path.join(dir, 'not-a-demo');
    mkdirSync(other);
    await expect(
      demoWorkspace(other, { reset: false, faults: true, channels: 1, episodesPerChannel: 2 }),
    ).rejects.toThrow(/--reset/);
  });
});

describe('npm run sandbox', () => {
  it("the README's example plan gets an Approve button, `approve` applies it, and the workspace stays", async () => {
    const ws = path.join(dir, 'sandbox-ws');
    const r = await execa(process.execPath, [path.join(ROOT, 'dist/test/sandbox/slack.js'), '--dir', ws], {
      cwd: ROOT,
      input: 'store --episode CH01-003\napprove\n',
      reject: false,
      timeout: 120_000,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('[ Approve ]');
    expect(r.stdout).toContain('(pressed [Approve])');
    expect(r.stdout).toContain('(3 copied and verified)');
    expect(r.stdout).not.toMatch(/&lt;|&gt;|<!date\^/);
    expect(r.stdout).toContain(`The demo workspace stays in ${ws}`);
    expect(existsSync(path.join(ws, 'share', 'uploads', 'factory_commentary', 'audio_final', 'CH01', '003'))).toBe(
      true,
    );
  }, 150_000);
});
