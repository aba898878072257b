// Files Finder writes next to real ones on macOS (and onto SMB shares it browses). They are never media: they
// are not outbox files and cannot be stored.

/** Why `name` (a base name) is Finder metadata, or null for an ordinary name. */
export function finderMetadataReason(name: string): string | null {
  if (name === '.DS_Store') return 'Finder folder settings (.DS_Store)';
  if (name.startsWith('._')) return 'an AppleDouble resource-fork file (._*) written by Finder on non-Mac volumes';
  if (name === 'Icon\r') return 'a Finder custom folder icon (Icon\\r)';
  if (name === '.localized') return 'a Finder folder-name localisation marker (.localized)';
  return null;
}
