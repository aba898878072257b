// The bot's log file rotates by size: launchd keeps StandardErrorPath open, so only the bot can rotate its log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ytm-log-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rotating log file', () => {
  it('renames the file to .1… at the size limit, keeps 5 old files, and loses no line of the newest ones', () => {
    const file = path.join(dir, 'logs', 'bot.log');
    const log = createLogger({ name: 'ytm-bot', file, maxBytes: 2_000 });
    for (let i = 0; i < 400; i++) log.info({ i, pad: 'x'.repeat(40) }, 'line');
    const names = readdirSync(path.dirname(file)).sort();
    expect(names).toEqual(['bot.log', 'bot.log.1', 'bot.log.2', 'bot.log.3', 'bot.log.4', 'bot.log.5']);
    for (const n of names) expect(statSync(path.join(dir, 'logs', n)).size).toBeLessThanOrEqual(2_000);
    // The current file and .1 hold consecutive lines, ending with the last one written.
    const lines = [file, `${file}.1`]
      .reverse()
      .flatMap((f) => readFileSync(f, 'utf8').trim().split('\n'))
      .map((l) => (JSON.parse(l) as { i: number }).i);
    expect(lines.at(-1)).toBe(399);
    expect(lines).toEqual(lines.map((_, k) => (lines[0] as number) + k));
  });

  it('appends to an existing file and rotates it when it is already full', () => {
    const file = path.join(dir, 'again.log');
    const pad = 'x'.repeat(60);
    const first = createLogger({ file, maxBytes: 1_000 });
    for (let i = 0; i < 5; i++) first.info({ i, pad }, 'first run');
    expect(readdirSync(dir)).not.toContain('again.log.1');
    // A restarted bot counts what is already in the file: its third line no longer fits.
    const second = createLogger({ file, maxBytes: 1_000 });
    for (let i = 0; i < 3; i++) second.info({ i, pad }, 'second run');
    expect(readFileSync(`${file}.1`, 'utf8')).toContain('first run');
    expect(readFileSync(file, 'utf8')).not.toContain('first run');
  });
});
