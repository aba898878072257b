#!/usr/bin/python3
"""A tiny read-only FUSE file system that stalls like a dead SMB share (test/faults, see hung-share-notes.md).

Usage: /usr/bin/python3 stall-fs.py <mountpoint> <flag-file> <namespace> [max-seconds]

Serves:  /uploads/<namespace>/hello.txt   (no README_MOUNTPOINT.txt, so it looks like a healthy share)
While <flag-file> exists, getattr (every stat/lstat/lookup) sleeps until the flag disappears, which leaves the
caller in state D. Kernel attribute/entry caching is disabled so a stall is seen at once.
Runs in the foreground; stop it with SIGKILL and then `umount -l <mountpoint>`.
Safety net for a test runner that dies without cleaning up: when its parent process goes away, or after
max-seconds (default 300), it lazily unmounts itself and exits, which releases every blocked caller.
"""
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


def watchdog(mountpoint, max_seconds):
    parent = os.getppid()
    deadline = time.time() + max_seconds
    while os.getppid() == parent and time.time() < deadline:
        time.sleep(0.5)
    subprocess.run(["umount", "-l", mountpoint], check=False, timeout=10)
    os._exit(3)


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write("usage: stall-fs.py <mountpoint> <flag-file> <namespace> [max-seconds]\n")
        return 64
    mountpoint, flag, namespace = sys.argv[1:4]
    max_seconds = float(sys.argv[4]) if len(sys.argv) == 5 else 300.0
    threading.Thread(target=watchdog, args=(mountpoint, max_seconds), daemon=True).start()
    FUSE(
        StallFS(flag, namespace),
        mountpoint,
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
