// The rsync probe on captured `--version` texts, and the options built from it: an old or foreign rsync is
// never handed an option it lacks (openrsync and 2.6.9 have no --info=, -s or --iconv; 2.6.9 no --delete-delay;
// openrsync no --out-format), and the live rsync on this machine is probed for real.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { treeSyncArgs } from '../../lib/rsync/args.js';
import type { RsyncSettings } from '../../lib/rsync/settings.js';
import { capabilitiesOf, parseRsyncVersion, probeRsync, RsyncNotFoundError } from '../../lib/rsync/version.js';
import { OPENRSYNC, RSYNC_2_6_9, RSYNC_3, RSYNC_3_0 } from './rsync/version-texts.js';

const settings: RsyncSettings = { bin: 'rsync', wholeFile: true, timeoutSec: 60, bwlimitKbps: 0, nice: 10 };
const spec = { src: '/w', dest: '/v', delete: true, maxDelete: 7, excludes: ['/planning/'], dryRun: true };

describe('parseRsyncVersion', () => {
  it('reads rsync 3.x, 2.6.9 and openrsync', () => {
    expect(parseRsyncVersion(RSYNC_3)).toEqual({ flavor: 'rsync', version: [3, 4, 1], protocol: 32 });
    expect(parseRsyncVersion(RSYNC_2_6_9)).toEqual({ flavor: 'rsync', version: [2, 6, 9], protocol: 29 });
    expect(parseRsyncVersion(OPENRSYNC)).toEqual({ flavor: 'openrsync', version: [2, 6, 9], protocol: 29 });
    expect(parseRsyncVersion('something else\n')).toEqual({ flavor: 'unknown', version: null, protocol: null });
  });
});

describe('capabilities and the arguments built from them', () => {
  it('rsync 3.1+: --out-format with sizes, --delete-delay, --max-delete=0 safe, --info/-s/--iconv known', () => {
    const caps = capabilitiesOf(parseRsyncVersion(RSYNC_3));
    expect(caps).toMatchObject({
      outFormat: true,
      deleteDelay: true,
      maxDeleteZero: true,
      info: true,
      protectArgs: true,
      iconv: true,
    });
    expect(treeSyncArgs(settings, caps, spec)).toEqual([
      '-a',
      '-8',
      '--no-perms',
      '--no-owner',
      '--no-group',
      '--whole-file',
      '--timeout=60',
      '-n',
      '--out-format=%i %l %n',
      '--stats',
      '--delete',
      '--delete-delay',
      '--max-delete=7',
      '--exclude',
      '/planning/',
      '/w/',
      '/v/',
    ]);
  });

  it('rsync 3.0: no --info= yet, the rest of 3.x', () => {
    expect(capabilitiesOf(parseRsyncVersion(RSYNC_3_0))).toMatchObject({
      info: false,
      deleteDelay: true,
      protectArgs: true,
    });
  });

  it('rsync 2.6.9: no --delete-delay (--delete-after instead), no --info/-s/--iconv', () => {
    const caps = capabilitiesOf(parseRsyncVersion(RSYNC_2_6_9));
    expect(caps).toMatchObject({
      outFormat: true,
      deleteDelay: false,
      maxDeleteZero: false,
      info: false,
      protectArgs: false,
      iconv: false,
    });
    const args = treeSyncArgs(settings, caps, spec);
    expect(args).toContain('--delete-after');
    expect(args).not.toContain('--delete-delay');
  });

  it('openrsync: itemize without --out-format (sizes come from the source), no --info/-s/--iconv', () => {
    const caps = capabilitiesOf(parseRsyncVersion(OPENRSYNC));
    expect(caps).toMatchObject({ outFormat: false, itemize: true, info: false, protectArgs: false, iconv: false });
    const args = treeSyncArgs(settings, caps, spec);
    expect(args).toContain('--itemize-changes');
    expect(
      args.some((a) => a.startsWith('--out-format') || a.startsWith('--info') || a === '-s' || a.startsWith('--iconv')),
    ).toBe(false);
  });

  it('no rsync version reads --max-delete=0 as "no limit": a limit of 0 turns delete-sync off', () => {
    for (const text of [RSYNC_3, RSYNC_2_6_9, OPENRSYNC]) {
      const args = treeSyncArgs(settings, capabilitiesOf(parseRsyncVersion(text)), { ...spec, maxDelete: 0 });
      expect(args.some((a) => a.startsWith('--delete') || a.startsWith('--max-delete'))).toBe(false);
    }
  });
});

describe('probeRsync', () => {
  it('probes the real rsync on this machine', async () => {
    const real = execFileSync('sh', ['-c', 'command -v rsync'], { encoding: 'utf8' }).trim();
    const p = await probeRsync(real);
    expect(p.version.flavor).toBe('rsync');
    expect(p.banner).toMatch(/^rsync\s+version/);
  });

  it('a missing binary is a clear error naming it', async () => {
    await expect(probeRsync('/nonexistent/rsync')).rejects.toBeInstanceOf(RsyncNotFoundError);
    await expect(probeRsync('/nonexistent/rsync')).rejects.toThrow('/nonexistent/rsync');
  });
});
