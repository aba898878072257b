// Planning CSV parser (`workspaces/planning/channels/CHxx.csv`, facts §3.1).
// Never throws: problems are returned in `errors` with the 1-based line they start on.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatEpisodeId, normalizeChannel, normalizeVideo } from './episode.js';

export type HeaderFamily = 'ch01' | 'ch02' | 'unknown';

export interface PlanningRow {
  /** 1-based line the record starts on (multi-line cells make this differ from the row index). */
  line: number;
  channel: string | null;
  /** Always resolved (`NNN`): rows whose video cannot be resolved go to `errors` instead. */
  video: string;
  /** `CHxx-NNN`; null only when the channel is unknown. */
  episodeId: string | null;
  progress: string;
  title: string;
  raw: Record<string, string>;
}

export interface PlanningError {
  line: number;
  message: string;
}

export interface PlanningCsv {
  channel: string | null;
  header: string[];
  family: HeaderFamily;
  rows: PlanningRow[];
  errors: PlanningError[];
}

// Direct video-number keys, in the doctors' order (hotset / hot_assets_doctor / integrity doctor).
const VIDEO_KEYS = ['動画番号', 'No.', 'video', 'Video', 'VideoNumber', 'video_number'] as const;
// Then hot_assets_doctor parses `CHxx-NNN` out of these.
const ID_KEYS = ['動画ID', '台本番号', 'ScriptID', 'script_id'] as const;
const ID_IN_CELL_RE = /(?<![A-Za-z0-9])(CH\d{1,3})-(\d{3})(?!\d)/i;

const CH01_PREFIX = ['No.', 'チャンネル', '動画番号', '動画ID', 'YouTubeID', 'タイトル'];
const CH02_PREFIX = ['No.', 'チャンネル', '動画番号', '動画ID', '台本番号', 'タイトル', '進捗'];

// Recovery is bounded so a file of garbage cannot loop for long.
const MAX_ERRORS = 200;

function startsWith(header: string[], prefix: string[]): boolean {
  return prefix.every((name, i) => header[i] === name);
}

export function detectFamily(header: string[]): HeaderFamily {
  if (startsWith(header, CH01_PREFIX)) return 'ch01';
  if (startsWith(header, CH02_PREFIX)) return 'ch02';
  return 'unknown';
}

interface RawRecord {
  line: number;
  cells: string[];
}

/**
 * csv-parse/sync throws on the first quoting error and returns nothing, so records are collected
 * through `on_record`, and after an error parsing resumes on the line after the one where the
 * broken record started. An unclosed quote therefore costs that record, not the rest of the file.
 */
function parseRecords(text: string): { records: RawRecord[]; errors: PlanningError[] } {
  const records: RawRecord[] = [];
  const errors: PlanningError[] = [];
  const lines = text.split('\n');
  let offset = 0; // number of lines before the chunk being parsed
  while (offset < lines.length && errors.length < MAX_ERRORS) {
    const chunk = lines.slice(offset).join('\n');
    let lastEnd = 0; // end line (chunk-relative) of the last good record
    try {
      parse(chunk, {
        relax_column_count: true,
        on_record: (record: string[], ctx: { lines: number }) => {
          records.push({ line: offset + lastEnd + 1, cells: record });
          lastEnd = ctx.lines;
          return null; // keep nothing in csv-parse's own output array
        },
      });
      break;
    } catch (err) {
      const badLine = offset + lastEnd + 1;
      const message = err instanceof Error ? err.message : String(err);
      errors.push({ line: badLine, message: `CSV syntax error: ${message}` });
      offset = badLine; // resume on the line after the broken record's first line
    }
  }
  return { records, errors };
}

function cell(raw: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(raw, key) ? raw[key] : undefined;
}

function resolveVideo(raw: Record<string, string>): { video: string; channelFromId: string | null } | null {
  for (const key of VIDEO_KEYS) {
    const v = normalizeVideo(cell(raw, key));
    if (v) return { video: v, channelFromId: null };
  }
  for (const key of ID_KEYS) {
    const value = cell(raw, key);
    const m = value ? ID_IN_CELL_RE.exec(value) : null;
    const v = m?.[2] ? normalizeVideo(m[2]) : null;
    if (v) return { video: v, channelFromId: normalizeChannel(m?.[1]) };
  }
  return null;
}

function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** Channel from a path like `…/CH02.csv`; null when the name is not a channel. */
export function channelFromCsvPath(path: string): string | null {
  return normalizeChannel(basename(path).replace(/\.csv$/i, ''));
}

export function parsePlanningCsv(text: string, channelHint?: string | null): PlanningCsv {
  // Tracked files carry a BOM (facts §3.1); CRLF is folded so line numbers count LF only.
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const hint = normalizeChannel(channelHint ?? null);
  const empty = (message: string, line = 1): PlanningCsv => ({
    channel: hint,
    header: [],
    family: 'unknown',
    rows: [],
    errors: [{ line, message }],
  });

  const { records, errors } = parseRecords(clean);
  const headerRecord = records[0];
  if (headerRecord?.line !== 1 || isBlank(headerRecord.cells)) {
    return empty(errors[0] ? `no readable header: ${errors[0].message}` : 'no header row (empty file)');
  }
  // trim() also removes U+FEFF, which covers a BOM left by a caller that decoded the text itself.
  const header = headerRecord.cells.map((h) => h.trim());
  const family = detectFamily(header);

  const rows: PlanningRow[] = [];
  const seen = new Map<string, number>();
  const channelCounts = new Map<string, number>();
  for (const rec of records.slice(1)) {
    if (isBlank(rec.cells)) continue;
    if (rec.cells.length > header.length) {
      // More cells than headers means something shifted (an unquoted comma): the progress cell
      // cannot be trusted, and a wrong "posted" could make an unposted episode look archivable.
      errors.push({
        line: rec.line,
        message: `row has ${rec.cells.length} cells but the header has ${header.length}; row ignored`,
      });
      continue;
    }
    // Short rows are kept: missing trailing cells read as ''.
    const raw: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name !== '' && !Object.hasOwn(raw, name)) raw[name] = rec.cells[i] ?? '';
    });
    const resolved = resolveVideo(raw);
    if (!resolved) {
      errors.push({ line: rec.line, message: 'cannot resolve the video number; row ignored' });
      continue;
    }
    // The file's channel wins, as in the predecessor (it never read チャンネル); a disagreeing
    // チャンネル cell is reported but the row is kept.
    const rowChannel = normalizeChannel(cell(raw, 'チャンネル')) ?? resolved.channelFromId;
    if (hint && rowChannel && rowChannel !== hint) {
      errors.push({ line: rec.line, message: `row names channel ${rowChannel} in a ${hint} file` });
    }
    const channel = hint ?? rowChannel;
    if (channel) channelCounts.set(channel, (channelCounts.get(channel) ?? 0) + 1);
    const episodeId = channel ? formatEpisodeId(channel, resolved.video) : null;
    const key = `${channel ?? '?'}-${resolved.video}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: rec.line, message: `duplicate video ${key} (first at line ${first})` });
    } else {
      seen.set(key, rec.line);
    }
    rows.push({
      line: rec.line,
      channel,
      video: resolved.video,
      episodeId,
      progress: (cell(raw, '進捗') ?? cell(raw, 'progress') ?? '').trim(),
      title: (cell(raw, 'タイトル') ?? cell(raw, 'title') ?? '').trim(),
      raw,
    });
  }

  // The file's channel: the hint (usually the file name) wins, else the channel most rows name.
  let channel = hint;
  if (!channel) {
    let best = 0;
    for (const [ch, n] of channelCounts) {
      if (n > best) {
        best = n;
        channel = ch;
      }
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { channel, header, family, rows, errors };
}

/** Read and parse a planning CSV; the channel hint comes from the file name. Never throws. */
export async function readPlanningCsv(path: string, channelHint?: string | null): Promise<PlanningCsv> {
  const hint = channelHint ?? channelFromCsvPath(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      channel: normalizeChannel(hint),
      header: [],
      family: 'unknown',
      rows: [],
      errors: [{ line: 0, message: `cannot read ${path}: ${code}` }],
    };
  }
  return parsePlanningCsv(text, hint);
}
