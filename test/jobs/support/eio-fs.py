#!/usr/bin/python3
"""Passthrough FUSE file system with switchable faults (test/jobs/support/eio-mount.ts).

Usage: /usr/bin/python3 eio-fs.py <backing-dir> <mountpoint> <flag-file> [max-seconds]

Everything is passed through to <backing-dir>. Faults, each switched on by a control file:
- <flag-file>: the next fsync answers EIO and removes the flag, like an SMB server refusing a flush once.
- <flag-file>.corrupt: while it exists, reads of files whose path contains its text (empty: every file) return
  their first byte flipped, like a server or cache answering wrong bytes (the copy's read-back must notice).
- <flag-file>.slow: while it exists, each write first sleeps as many milliseconds as it says (a slow share).
Runs in the foreground; stop it with SIGKILL and then `umount -l <mountpoint>`. Safety net: after max-seconds
(default 300) or when its parent dies it unmounts itself.
"""
import errno
import os
import subprocess
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations


class EioFS(Operations):
    def __init__(self, root, flag):
        self.root = root
        self.flag = flag

    def _p(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def _wrap(self, fn, *args):
        try:
            return fn(*args)
        except OSError as e:
            raise FuseOSError(e.errno)

    def access(self, path, mode):
        if not os.access(self._p(path), mode):
            raise FuseOSError(errno.EACCES)

    def getattr(self, path, fh=None):
        st = self._wrap(os.lstat, self._p(path))
        keys = ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink", "st_size", "st_uid")
        out = {k: getattr(st, k) for k in keys}
        out["st_mtime"] = st.st_mtime_ns / 1e9
        return out

    def readdir(self, path, fh):
        return [".", ".."] + self._wrap(os.listdir, self._p(path))

    def readlink(self, path):
        return self._wrap(os.readlink, self._p(path))

    def mkdir(self, path, mode):
        return self._wrap(os.mkdir, self._p(path), mode)

    def rmdir(self, path):
        return self._wrap(os.rmdir, self._p(path))

    def unlink(self, path):
        return self._wrap(os.unlink, self._p(path))

    def symlink(self, target, source):
        return self._wrap(os.symlink, source, self._p(target))

    def rename(self, old, new):
        return self._wrap(os.rename, self._p(old), self._p(new))

    def link(self, target, source):
        return self._wrap(os.link, self._p(source), self._p(target))

    def chmod(self, path, mode):
        return self._wrap(os.chmod, self._p(path), mode)

    def chown(self, path, uid, gid):
        return self._wrap(os.chown, self._p(path), uid, gid)

    def utimens(self, path, times=None):
        return self._wrap(os.utime, self._p(path), times)

    def truncate(self, path, length, fh=None):
        with open(self._p(path), "r+b") as f:
            f.truncate(length)

    def statfs(self, path):
        st = os.statvfs(self._p(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")
        return {k: getattr(st, k) for k in keys}

    def open(self, path, flags):
        return self._wrap(os.open, self._p(path), flags)

    def create(self, path, mode, fi=None):
        return self._wrap(os.open, self._p(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)

    def _control(self, suffix):
        try:
            with open(self.flag + suffix) as f:
                return f.read().strip()
        except FileNotFoundError:
            return None

    def read(self, path, size, offset, fh):
        os.lseek(fh, offset, os.SEEK_SET)
        data = os.read(fh, size)
        corrupt = self._control(".corrupt")
        if corrupt is not None and corrupt in path and offset == 0 and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        return data

    def write(self, path, data, offset, fh):
        slow = self._control(".slow")
        if slow:
            time.sleep(float(slow) / 1000.0)
        os.lseek(fh, offset, os.SEEK_SET)
        return os.write(fh, data)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        return os.close(fh)

    def fsync(self, path, datasync, fh):
        if os.path.exists(self.flag):
            os.unlink(self.flag)
            raise FuseOSError(errno.EIO)
        return os.fsync(fh)


def watchdog(mountpoint, max_seconds):
    parent = os.getppid()
    deadline = time.time() + max_seconds
    while time.time() < deadline and os.getppid() == parent:
        time.sleep(0.5)
    subprocess.run(["umount", "-l", mountpoint], check=False)
    os._exit(0)


if __name__ == "__main__":
    backing, mountpoint, flag = sys.argv[1], sys.argv[2], sys.argv[3]
    max_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 300.0
    threading.Thread(target=watchdog, args=(mountpoint, max_seconds), daemon=True).start()
    FUSE(EioFS(backing, flag), mountpoint, foreground=True, nothreads=True, allow_other=True, attr_timeout=0, entry_timeout=0)
