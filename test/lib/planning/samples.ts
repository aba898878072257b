// Location of the real samples: /work/main/test/lib/planning → /work/shared/samples.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../../../../shared/samples/', import.meta.url));

export function samplePath(rel: string): string {
  return join(SAMPLES_DIR, rel);
}

export const samplesPresent = existsSync(samplePath('planning/channels/CH01.csv'));
