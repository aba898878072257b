// fnmatch-style glob → RegExp for coordination-lock scopes. Like Python's fnmatch (which the predecessor
// used), `*` also crosses `/`: `runs/CH02-043_*` covers files inside a matching run directory too.
// Over-matching only makes a lock block more, which is the safe direction. `**` is accepted (= `*`),
// `?` is one character, `[abc]` / `[!a-z]` are character classes.

export const GLOB_CHARS = /[*?[\]]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      while (pattern[i + 1] === '*') i++;
      re += '.*';
    } else if (ch === '?') {
      re += '.';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2); // a ']' right after '[' or '[!' is literal, as in fnmatch
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      body = body.replace(/[\\^\]]/g, (c) => `\\${c}`);
      re += `[${negate ? '^' : ''}${body}]`;
      i = close;
    } else {
      re += ch.replace(/[.+^${}()|\\/\]]/g, (c) => `\\${c}`);
    }
  }
  return new RegExp(`^${re}$`, 's');
}

/** The part of a pattern before its first wildcard (used for "the path is a parent of the scope"). */
export function staticPrefix(pattern: string): string {
  const m = GLOB_CHARS.exec(pattern);
  return m ? pattern.slice(0, m.index) : pattern;
}
