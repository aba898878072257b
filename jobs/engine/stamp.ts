/** `YYYYMMDDTHHMMSSZ` (UTC), the predecessor's stamp in report and manifest names. */
export function stampOf(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}
