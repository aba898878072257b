// Channel / video / episode-id normalisation and extraction from run and draft names.
// Canonical forms: channel `CHxx` (at least two digits), video `NNN` (three digits), episode `CHxx-NNN`.

const CHANNEL_RE = /^CH(\d{1,3})$/i;
// `1.0` is accepted because pandas-written CSVs turn integer cells into floats (the samples' 作成フラグ is `1.0`).
const VIDEO_RE = /^(\d{1,6})(?:\.0+)?$/;
const EPISODE_RE = /^CH(\d{1,3})-(\d{1,6})$/i;

/** `CH1` / `ch01` / `CH001` → `CH01`; anything else (including CH00) → null. */
export function normalizeChannel(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const m = CHANNEL_RE.exec(value.trim());
  if (!m?.[1]) return null;
  const n = Number.parseInt(m[1], 10);
  if (n < 1) return null;
  return `CH${String(n).padStart(2, '0')}`;
}

/**
 * `1` / `001` / `0001` → `001`. The whole trimmed value must be a number: the predecessor's
 * "keep only the digits" would turn `CH02-043` into `2043`. 0 and values above 999 are rejected
 * because every id format downstream (`CHxx-NNN`, `audio/final/CHxx/NNN`) has exactly three digits.
 */
export function normalizeVideo(value: string | number | null | undefined): string | null {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return null;
    return normalizeVideo(String(value));
  }
  if (typeof value !== 'string') return null;
  const m = VIDEO_RE.exec(value.trim());
  if (!m?.[1]) return null;
  const n = Number.parseInt(m[1], 10);
  if (n < 1 || n > 999) return null;
  return String(n).padStart(3, '0');
}

/** Build `CHxx-NNN` from parts; null when either part does not normalise. */
export function formatEpisodeId(channel: string, video: string | number): string | null {
  const ch = normalizeChannel(channel);
  const v = normalizeVideo(video);
  return ch && v ? `${ch}-${v}` : null;
}

/** `CH1-1` / `ch01-001` / `CH02-043` → `CH01-001` style; null when malformed. */
export function normalizeEpisodeId(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const m = EPISODE_RE.exec(value.trim());
  if (!m?.[1] || !m[2]) return null;
  return formatEpisodeId(`CH${m[1]}`, m[2]);
}

/** Split a canonical (or normalisable) episode id into its parts. */
export function splitEpisodeId(value: string): { channel: string; video: string } | null {
  const id = normalizeEpisodeId(value);
  if (!id) return null;
  const [channel, video] = id.split('-') as [string, string];
  return { channel, video };
}

// `(?<![A-Za-z0-9])` stops `xCH02-043` matching mid-word; `(?!\d)` is the fix for facts §7 row 29:
// in `CH02_20251211_…` the three digits `202` start a longer digit run, so it is a date, not a video.
const RUN_EPISODE_RE = /(?<![A-Za-z0-9])CH(\d{2})[-_](\d{3})(?!\d)/gi;
// Drafts are matched the way the integrity doctor finds candidates: the name contains `CHxx-NNN`.
const DRAFT_EPISODE_RE = /(?<![A-Za-z0-9])CH(\d{2})-(\d{3})(?!\d)/gi;

function firstEpisode(re: RegExp, name: string): string | null {
  for (const m of name.matchAll(re)) {
    const id = m[1] && m[2] ? formatEpisodeId(`CH${m[1]}`, m[2]) : null;
    if (id) return id;
  }
  return null;
}

/**
 * Episode of a `video/runs/<run_id>` directory: `CH02-043_regen_20260126_145633` → `CH02-043`,
 * `CH06_004_capcut` → `CH06-004`; `CH02_20251211_…`, `CH04-`, `192`, `api_*`, `default` → null.
 */
export function episodeFromRunName(runId: string): string | null {
  return firstEpisode(RUN_EPISODE_RE, runId);
}

/**
 * Episode of a CapCut draft folder name: `★CH02-043-【…】…(2)`, `完成★CH02-014…`,
 * `CH04-018_capcut_unpub_20260106_v1_draft` → the id; templates (`CH04-UNK_テンプレ_…`) and
 * `.cloud_cache_<digits>` → null.
 */
export function episodeFromDraftName(name: string): string | null {
  return firstEpisode(DRAFT_EPISODE_RE, name);
}
