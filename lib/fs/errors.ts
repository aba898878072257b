// Small helpers for Node system errors (which carry a string `code` such as 'ENOENT').

/** The `code` of a Node system error (or any object with one), else undefined. */
export function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** An Error with a `code` (and optional `path`), shaped like the ones node:fs throws. */
export function codedError(code: string, message: string, path?: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: ${message}`);
  err.code = code;
  if (path !== undefined) err.path = path;
  return err;
}

/**
 * Codes that mean "this path is not there" (or a link leads nowhere). Anything else (EPERM from macOS privacy
 * settings, EACCES, EIO from a failing share…) means the path could not be checked: never "broken" or "missing".
 */
export const MISSING_CODES: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

export function isMissingError(err: unknown): boolean {
  return MISSING_CODES.has(errCode(err) ?? '');
}
