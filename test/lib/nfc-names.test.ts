// Japanese names as macOS hands them back from disk (NFD: "ガ" = "カ" + U+3099) meet the same names from a CSV,
// a JSON file, .env or Slack (NFC): every comparison between the two is made in NFC.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listOutbox } from '../../jobs/outbox/list.js';
import { manifestsDir, outboxBase } from '../../jobs/store/target.js';
import { classifyLinkTarget } from '../../lib/fs/links.js';
import { selectRun } from '../../lib/planning/runs.js';
import { remoteRootOf } from '../../lib/share/network-mounts.js';

const NFC = 'ガイド_ナレーション';
const NFD = NFC.normalize('NFD');
const dir = mkdtempSync(path.join(tmpdir(), 'ytm-nfc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NFC comparisons of names from disk', () => {
  it('the sample really differs in NFD', () => {
    expect(NFD).not.toBe(NFC);
    expect(NFD.normalize('NFC')).toBe(NFC);
  });

  it('a link read from disk (NFD) into a share configured in NFC is into the share (never stat-ed here)', () => {
    const share = `/Users/dd/mounts/${NFC}`;
    expect(
      classifyLinkTarget('/ws/video/input/a.wav', `/Users/dd/mounts/${NFD}/uploads/a.wav`, { shareRoot: share }),
    ).toMatchObject({ intoShare: true });
    expect(remoteRootOf(`/Volumes/${NFD}/x.wav`, [`/Volumes/${NFC}`])).toBe(`/Volumes/${NFC}`);
  });

  it("status.json's video_run_id (NFC) names the run folder read from disk (NFD)", () => {
    const runs = [
      { runId: `CH02-043_${NFD}_v1`, hasDraftInfo: true, mtimeMs: 1 },
      { runId: 'CH02-043_v9', hasDraftInfo: true, mtimeMs: 2 },
    ];
    expect(selectRun(runs, `CH02-043_${NFC}_v1`)).toMatchObject({
      via: 'video_run_id',
      run: { runId: runs[0]?.runId },
    });
  });

  it('an outbox file whose name is NFD on disk is matched with its manifest written in NFC', async () => {
    const root = path.join(dir, 'outbox');
    const base = outboxBase(root, 'ns');
    const file = path.join(base, 'audio_final', 'CH02', '043', `${NFD}.wav`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'wav');
    mkdirSync(manifestsDir(base), { recursive: true });
    writeFileSync(
      path.join(manifestsDir(base), 'm1.json'),
      JSON.stringify({
        created_at: '2026-01-01T00:00:00Z',
        shared: { offline_reason: 'share down' },
        artifact: { dest: path.join(base, 'audio_final', 'CH02', '043', `${NFC}.wav`), src: 'x', sha256: 'abc' },
      }),
    );
    const [listed] = await listOutbox([root], 'ns');
    expect(listed?.manifest?.offlineReason).toBe('share down');
  });
});
