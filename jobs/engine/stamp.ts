/** `YYYYMMDDTHHMMSSZ` (UTC), the predecessor's stamp in report and manifest names. */
export function stampOf(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** A duration for people: "40 s", "12 min", "3.0 h", "2.5 days". */
export function humanDuration(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  const h = s / 3600;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`;
}
