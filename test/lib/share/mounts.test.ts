import { describe, expect, it } from 'vitest';
import { sharedBase } from '../../../lib/share/base.js';
import { decodeMountField, findMount, parseMacMount, parseProcMounts } from '../../../lib/share/mounts.js';

describe('mount tables', () => {
  it('parses /proc/mounts and decodes octal escapes', () => {
    const text = [
      'proc /proc proc rw,nosuid 0 0',
      '//nas/share /mnt/lenovo\\040share cifs rw,vers=3.0 0 0',
      'tmpfs /mnt/tab\\011and\\134slash tmpfs rw 0 0',
      '',
    ].join('\n');
    const entries = parseProcMounts(text);
    expect(entries).toHaveLength(3);
    expect(findMount(entries, '/mnt/lenovo share')).toEqual({
      device: '//nas/share',
      target: '/mnt/lenovo share',
      fsType: 'cifs',
    });
    expect(findMount(entries, '/mnt/tab\tand\\slash')?.fsType).toBe('tmpfs');
    expect(findMount(entries, '/mnt/lenovo\\040share')).toBeUndefined();
    expect(decodeMountField('a\\040b\\012c')).toBe('a b\nc');
  });

  it('the last mount listed for a target wins (stacked mounts)', () => {
    const entries = parseProcMounts('/dev/sda1 /mnt ext4 rw 0 0\ntmpfs /mnt tmpfs rw 0 0\n');
    expect(findMount(entries, '/mnt')?.fsType).toBe('tmpfs');
  });

  it('parses macOS mount output, paths with spaces and parentheses included', () => {
    const text = [
      '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
      'devfs on /dev (devfs, local, nobrowse)',
      '//dd@lenovo._smb._tcp.local/share on /Users/dd/mounts/lenovo_share_real (smbfs, nodev, nosuid, mounted by dd)',
      'map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)',
      '/dev/disk5s1 on /Volumes/My Disk (1) (exfat, local, nodev)',
    ].join('\n');
    const entries = parseMacMount(text);
    expect(findMount(entries, '/Users/dd/mounts/lenovo_share_real')).toEqual({
      device: '//dd@lenovo._smb._tcp.local/share',
      target: '/Users/dd/mounts/lenovo_share_real',
      fsType: 'smbfs',
    });
    expect(findMount(entries, '/Volumes/My Disk (1)')?.fsType).toBe('exfat');
    expect(findMount(entries, '/')?.fsType).toBe('apfs');
    expect(findMount(entries, '/System/Volumes/Data/home')?.device).toBe('map auto_home');
  });
});

describe('sharedBase (facts §1.3)', () => {
  it('is <root>/uploads/<ns>, or <root>/<ns> when the root is named uploads', () => {
    expect(sharedBase('/mnt/share', 'factory_commentary')).toBe('/mnt/share/uploads/factory_commentary');
    expect(sharedBase('/mnt/share/uploads/', 'factory_commentary')).toBe('/mnt/share/uploads/factory_commentary');
  });
});
