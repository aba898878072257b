// Canonical JSON: object keys sorted recursively, no whitespace. Two structurally equal values always give
// the same text, so its SHA-256 can identify a plan no matter how the object was built.
// Anything JSON.stringify would silently drop or mangle (undefined, functions, NaN, Infinity, class
// instances such as Date or Map) is rejected instead, because a dropped field would change what is approved.

export class CanonicalJsonError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || '<root>'}`);
    this.name = 'CanonicalJsonError';
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${value}`, path);
      return JSON.stringify(value); // -0 becomes "0", like JSON.stringify
    case 'undefined':
      throw new CanonicalJsonError('undefined value', path);
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, path);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new CanonicalJsonError('circular reference', path);
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) throw new CanonicalJsonError('sparse array hole', `${path}[${i}]`);
        parts.push(encode(obj[i], `${path}[${i}]`, seen));
      }
      return `[${parts.join(',')}]`;
    }
    if (!isPlainObject(obj)) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(`non-plain object (${name}); convert it to JSON first`, path);
    }
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    const parts = keys.map((k) => `${JSON.stringify(k)}:${encode(rec[k], path ? `${path}.${k}` : k, seen)}`);
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** Canonical JSON text of `value`; throws `CanonicalJsonError` for anything that is not plain JSON. */
export function canonicalJson(value: unknown): string {
  return encode(value, '', new Set());
}
