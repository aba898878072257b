import { describe, expect, it } from 'vitest';
import { sharedBase } from '../../../lib/share/base.js';
import {
  decodeMountField,
  findMount,
  networkMountRoots,
  parseMacMount,
  parseProcMounts,
} from '../../../lib/share/mounts.js';
import { remoteRootOf } from '../../../lib/share/network-mounts.js';

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

describe('network mounts (paths on them are only checked in a guarded child)', () => {
  it('macOS: every smbfs, nfs, afpfs, webdav and autofs mount counts, local volumes do not', () => {
    // Captured from a Mac with the share mounted twice (old and new mount name) plus Finder's /Volumes mount.
    const text = [
      '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
      'devfs on /dev (devfs, local, nobrowse)',
      '/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect, root data)',
      'map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)',
      '//dd@lenovo._smb._tcp.local/share on /Users/dd/mounts/lenovo_share_real (smbfs, nodev, nosuid, mounted by dd)',
      '//dd@lenovo._smb._tcp.local/share on /Users/dd/mounts/lenovo_share (smbfs, nodev, nosuid, mounted by dd)',
      '//GUEST:@gateway/logs on /Volumes/logs (smbfs, nodev, nosuid, noowners, mounted by dd)',
      'nas:/export on /Volumes/nfs export (nfs, asynchronous, nodev, nosuid, mounted by dd)',
      'afp_0TQ on /Volumes/Old Time Capsule (afpfs, nodev, nosuid, mounted by dd)',
      'https://dav.example.com/ on /Volumes/dav.example.com (webdav, nodev, noexec, nosuid, mounted by dd)',
      '/dev/disk5s1 on /Volumes/My Disk (1) (exfat, local, nodev, nosuid, noowners, noatime, mounted by dd)',
    ].join('\n');
    expect(networkMountRoots(parseMacMount(text))).toEqual([
      '/System/Volumes/Data/home',
      '/Users/dd/mounts/lenovo_share',
      '/Users/dd/mounts/lenovo_share_real',
      '/Volumes/Old Time Capsule',
      '/Volumes/dav.example.com',
      '/Volumes/logs',
      '/Volumes/nfs export',
    ]);
  });

  it('Linux: cifs, nfs4, autofs and FUSE network file systems count, once each', () => {
    const text = [
      '/dev/sda1 / ext4 rw 0 0',
      'tmpfs /tmp tmpfs rw 0 0',
      '//nas/share /mnt/lenovo\\040share cifs rw,vers=3.0 0 0',
      'nas:/export /mnt/nfs nfs4 rw 0 0',
      'systemd-1 /mnt/auto autofs rw 0 0',
      'smbnetfs /mnt/smbnet fuse.smbnetfs rw 0 0',
      'dd@host:/ /mnt/ssh fuse.sshfs rw 0 0',
      '//nas/share /mnt/lenovo\\040share cifs rw,vers=3.0 0 0',
      '/dev/fuse /mnt/local-fuse fuse.encfs rw 0 0',
    ].join('\n');
    expect(networkMountRoots(parseProcMounts(text))).toEqual([
      '/mnt/auto',
      '/mnt/lenovo share',
      '/mnt/nfs',
      '/mnt/smbnet',
      '/mnt/ssh',
    ]);
  });

  it('remoteRootOf: the innermost mount holding a path, by whole path segments', () => {
    const roots = ['/Volumes/share', '/Volumes/share/nested', '/Users/dd/mounts/lenovo_share'];
    expect(remoteRootOf('/Volumes/share/nested/a.wav', roots)).toBe('/Volumes/share/nested');
    expect(remoteRootOf('/Volumes/share/a.wav', roots)).toBe('/Volumes/share');
    expect(remoteRootOf('/Users/dd/mounts/lenovo_share_real/a.wav', roots)).toBeNull();
    expect(remoteRootOf('/Users/dd/Movies/a.wav', roots)).toBeNull();
  });
});

describe('sharedBase (facts §1.3)', () => {
  it('is <root>/uploads/<ns>, or <root>/<ns> when the root is named uploads', () => {
    expect(sharedBase('/mnt/share', 'factory_commentary')).toBe('/mnt/share/uploads/factory_commentary');
    expect(sharedBase('/mnt/share/uploads/', 'factory_commentary')).toBe('/mnt/share/uploads/factory_commentary');
  });
});
