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
