#!/usr/bin/python3
"""A tiny read-only FUSE file system that stalls like a dead SMB share (test/faults, see hung-share-notes.md).

Usage: /usr/bin/python3 stall-fs.py <mountpoint> <flag-file> <namespace> [max-seconds]
                                    [--backing <dir>] [--stall-on </path/in/mount>]

Serves:  /uploads/<namespace>/hello.txt   (no README_MOUNTPOINT.txt, so it looks like a healthy share)
   or, with --backing, a read-only view of that directory (files, folders and symlinks as they are).
While <flag-file> exists, getattr (every stat/lstat/lookup) sleeps until the flag disappears, which leaves the
caller in state D. Kernel attribute/entry caching is disabled so a stall is seen at once.
--stall-on: the first access to that path (or anything below it) creates the flag, so the share hangs in the
middle of whatever walk reached it; removing the flag releases everyone as before.
Runs in the foreground; stop it with SIGKILL and then `umount -l <mountpoint>`.
Safety net for a test runner that dies without cleaning up: when its parent process goes away, or after
max-seconds (default 300), it lazily unmounts itself and exits, which releases every blocked caller.
"""
import argparse
import errno
import os
import stat
import subprocess
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations

HELLO = b"hello from stall-fs\n"


class StallFS(Operations):
    def __init__(self, flag, namespace):
        self.flag = flag
        self.dirs = {"/": ["uploads"], "/uploads": [namespace], "/uploads/" + namespace: ["hello.txt"]}
        self.files = {"/uploads/" + namespace + "/hello.txt": HELLO}
        self.t = time.time()

    def _maybe_stall(self):
        while os.path.exists(self.flag):
            time.sleep(0.05)

    def getattr(self, path, fh=None):
        self._maybe_stall()
        base = {"st_uid": 0, "st_gid": 0, "st_atime": self.t, "st_mtime": self.t, "st_ctime": self.t}
        if path in self.dirs:
            return dict(base, st_mode=stat.S_IFDIR | 0o755, st_nlink=2, st_size=0)
        if path in self.files:
            return dict(base, st_mode=stat.S_IFREG | 0o444, st_nlink=1, st_size=len(self.files[path]))
        raise FuseOSError(errno.ENOENT)

    def readdir(self, path, fh):
        self._maybe_stall()
        if path not in self.dirs:
            raise FuseOSError(errno.ENOENT)
        return [".", ".."] + self.dirs[path]

    def open(self, path, flags):
        self._maybe_stall()
        if path not in self.files:
            raise FuseOSError(errno.ENOENT)
        return 0

    def read(self, path, size, offset, fh):
        self._maybe_stall()
        return self.files[path][offset : offset + size]


class PassthroughStallFS(Operations):
    """A read-only view of `backing` that stalls like StallFS, optionally once `stall_on` is first touched."""

    def __init__(self, flag, backing, stall_on):
        self.flag = flag
        self.backing = backing
        self.stall_on = stall_on.rstrip("/") if stall_on else None

    def _maybe_stall(self, path):
        if self.stall_on and (path == self.stall_on or path.startswith(self.stall_on + "/")):
            with open(self.flag, "w") as f:
                f.write("stall\n")
        while os.path.exists(self.flag):
            time.sleep(0.05)

    def _real(self, path):
        return os.path.join(self.backing, path.lstrip("/"))

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except OSError as e:
            raise FuseOSError(e.errno or errno.EIO)

    def getattr(self, path, fh=None):
        self._maybe_stall(path)
        st = self._call(os.lstat, self._real(path))
        keys = ("st_mode", "st_nlink", "st_size", "st_uid", "st_gid", "st_atime", "st_mtime", "st_ctime")
        return {k: getattr(st, k) for k in keys}

    def readdir(self, path, fh):
        self._maybe_stall(path)
        return [".", ".."] + self._call(os.listdir, self._real(path))

    def readlink(self, path):
        self._maybe_stall(path)
        return self._call(os.readlink, self._real(path))

    def open(self, path, flags):
        self._maybe_stall(path)
        return self._call(os.open, self._real(path), os.O_RDONLY)

    def read(self, path, size, offset, fh):
        self._maybe_stall(path)
        return self._call(os.pread, fh, size, offset)

    def release(self, path, fh):
        os.close(fh)
        return 0


def watchdog(mountpoint, max_seconds):
    parent = os.getppid()
    deadline = time.time() + max_seconds
    while os.getppid() == parent and time.time() < deadline:
        time.sleep(0.5)
    subprocess.run(["umount", "-l", mountpoint], check=False, timeout=10)
    os._exit(3)


def main():
    parser = argparse.ArgumentParser(prog="stall-fs.py")
    parser.add_argument("mountpoint")
    parser.add_argument("flag")
    parser.add_argument("namespace")
    parser.add_argument("max_seconds", nargs="?", type=float, default=300.0)
    parser.add_argument("--backing")
    parser.add_argument("--stall-on")
    args = parser.parse_args()
    threading.Thread(target=watchdog, args=(args.mountpoint, args.max_seconds), daemon=True).start()
    if args.backing:
        ops = PassthroughStallFS(args.flag, os.path.abspath(args.backing), args.stall_on)
    else:
        ops = StallFS(args.flag, args.namespace)
    FUSE(
        ops,
        args.mountpoint,
        foreground=True,
        ro=True,
        fsname="stallfs",
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
