// Characters no command can contain: C0/C1 controls (a NUL cannot even be handed to a child process) and the
// invisible bidi overrides that make text display differently from what it is. Tab and newlines are spaces.

const ALLOWED = new Set([0x09, 0x0a, 0x0d]);

function isForbidden(cp: number): boolean {
  if (ALLOWED.has(cp)) return false;
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

/** Why `text` cannot be a command (the first such character, by code and position), or undefined. */
export function controlCharacterProblem(text: string): string | undefined {
  let position = 0;
  for (const ch of text) {
    position += 1;
    const cp = ch.codePointAt(0) as number;
    if (isForbidden(cp)) {
      const code = cp.toString(16).toUpperCase().padStart(4, '0');
      return `the command contains an invisible control character (U+${code}) at character ${position}; type it again without it`;
    }
  }
  return undefined;
}
