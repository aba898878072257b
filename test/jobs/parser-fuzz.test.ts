// 10,000 random command texts (seeded) through the one parser: it never throws, answers every text (ok or an
// error message), and — being a pure function — executes nothing; for store, the job input it yields is valid.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, tokenize } from '../../jobs/grammar.js';
import { StoreInputSchema, storeInputFromArgs } from '../../jobs/store/input.js';
import { mulberry32 } from '../fixtures/rng.js';

const WORDS = [
  'store',
  'outbox',
  'flush',
  'plans',
  'audit',
  'doctor',
  'help',
  'relink',
  'archive',
  'runs',
  'mirror',
  'apply',
  '--episode',
  '--kind',
  '--run',
  '--yes',
  '--json',
  '--events',
  '--symlink-back',
  '--move',
  '--overwrite',
  '--allow-unposted',
  '--include-remotion',
  '--run-id',
  '--since',
  '--channel',
  '--video',
  '-h',
  '--',
  '-',
  'CH02-043',
  'ch2-43',
  'CH999-1',
  'CH02-0433',
  'audio/final/CH02/043/CH02-043.wav',
  '../../etc/passwd',
  '/etc/shadow',
  'misc',
  'audio_final',
  'manifests',
  '2026-01-26',
  'a;rm -rf x$(y).wav',
  '`id`',
  '$(reboot)',
  '|',
  '&&',
  ';',
  '>',
  '<',
  '"',
  "'",
  '“smart”',
  '—run',
  '–yes',
  'ストア',
  '投稿済み',
  '\u0000',
  '\u200b',
  '🎬',
  'é',
  'ﬁ',
  '\t',
  '\n',
];
const CHARS = 'abcXYZ019-_/.;|&$()<>`"\'\\ *?~!#%^{}[]=+,:@ \u3000\u00a0テスト🎬\u202e';

describe('parser fuzz', () => {
  it('answers 10,000 random command texts without throwing', () => {
    const rnd = mulberry32(20260126);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    let ok = 0;
    let errors = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = Math.floor(rnd() * 12);
      const parts: string[] = [];
      for (let j = 0; j < n; j++) {
        if (rnd() < 0.7) parts.push(pick(WORDS));
        else {
          let s = '';
          const len = 1 + Math.floor(rnd() * 20);
          for (let k = 0; k < len; k++) s += pick([...CHARS]);
          parts.push(rnd() < 0.2 ? `"${s}"` : s);
        }
      }
      const text = parts.join(rnd() < 0.9 ? ' ' : '');
      const r = parseCommandLine(tokenize(text));
      if (r.ok) {
        ok++;
        expect(typeof r.command.spec.name).toBe('string');
        if (r.command.spec.name === 'store') {
          expect(StoreInputSchema.safeParse(storeInputFromArgs(r.command.input)).success).toBe(true);
        }
      } else {
        errors++;
        expect(typeof r.error).toBe('string');
        expect(r.error.length).toBeGreaterThan(0);
      }
    }
    // Both outcomes occur (the generator is not degenerate).
    expect(ok).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(100);
  });

  it('never lets a Slack text reach the hidden `apply`', () => {
    const r = parseCommandLine(tokenize(`apply ${'a'.repeat(64)}`));
    expect(r.ok).toBe(false);
  });
});
