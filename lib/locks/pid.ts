// Is a process alive on this host? Signal 0 checks existence and permission without delivering anything.
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, so it is alive. ESRCH: no such process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
