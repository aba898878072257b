// The doctor view stays inside Slack's limits whatever the report holds, and says what it cut.

import { describe, expect, it } from 'vitest';
import { doctorReportView } from '../../bot/views/doctor-report.js';
import { homeView } from '../../bot/views/home.js';
import { relateSameCause } from '../../jobs/doctor/findings.js';
import type { DoctorReport, Finding, FindingCode } from '../../jobs/doctor/report.js';
import { checkMessage, checkView } from '../slack/blocks-limits.js';

function report(findings: Finding[], status: DoctorReport['status'] = 'crit'): DoctorReport {
  return {
    schema: 'ytm.ops.doctor.v1',
    generatedAt: '2026-11-22T02:00:00.000Z',
    host: 'factory-mac.local',
    durationMs: 1234,
    status,
    exitCode: status === 'ok' ? 0 : status === 'warn' ? 1 : 2,
    share: {
      state: 'stub',
      root: '/Volumes/lenovo_share',
      reason: 'README_MOUNTPOINT.txt present',
      fsType: null,
      stuckProbes: [],
    },
    disk: {
      path: '/Users/dd',
      freeBytes: 70 * 2 ** 30,
      totalBytes: 500 * 2 ** 30,
      warnBytes: 150 * 2 ** 30,
      stopBytes: 80 * 2 ** 30,
    },
    planning: { configured: '/Volumes/lenovo_share/planning', effective: '/Users/dd/ws/planning', fallback: true },
    counts: { channels: 10, episodes: 500, hot: 12, posted: 400, frozen: 3, symlinksScanned: 20000, backupLinks: 4 },
    findings,
    reportPath: '/Users/dd/ws/logs/ops/doctor/doctor__20261122T020000Z.json',
  };
}

const sections = (blocks: Record<string, unknown>[]) =>
  blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text);

describe('doctorReportView', () => {
  it('shows the verdict, each finding with its count and examples, host, time and report path', () => {
    const v = doctorReportView(
      report([
        {
          code: 'BROKEN_SYMLINK',
          severity: 'warn',
          count: 13,
          message: 'broken links',
          examples: ['video/input/a.wav -> x'],
          breakdown: { 'video/input': 5, episodes: 8 },
        },
        {
          code: 'HOT_DRAFT_MISSING',
          severity: 'crit',
          count: 1,
          message: 'draft <missing> & gone',
          examples: ['CH01-001'],
        },
      ]),
    );
    const all = JSON.stringify(v.blocks);
    expect((v.blocks[0] as { text: { text: string } }).text.text).toContain('critical');
    const s = sections(v.blocks);
    // Critical first, escaped, with count and examples.
    expect(s.findIndex((t) => t.includes('HOT_DRAFT_MISSING'))).toBeLessThan(
      s.findIndex((t) => t.includes('BROKEN_SYMLINK')),
    );
    expect(all).toContain('*HOT_DRAFT_MISSING* · 1');
    expect(all).toContain('draft &lt;missing&gt; &amp; gone');
    expect(all).toContain('episodes: 8');
    // 13 broken links, 1 listed: the rest are in the saved report, and the card says so.
    expect(all).toContain(
      '…and 12 more, all listed in the report `/Users/dd/ws/logs/ops/doctor/doctor__20261122T020000Z.json`',
    );
    // The headline counts problems (13 links + 1 draft), not finding kinds (2).
    expect((v.blocks[0] as { text: { text: string } }).text.text).toContain('(14 problems)');
    expect(all).toContain('factory-mac.local');
    expect(all).toContain('doctor__20261122T020000Z.json');
    expect(all).toContain('<!date^');
    expect(v.text).toContain('HOT_DRAFT_MISSING×1');
    expect(checkMessage({ text: v.text, blocks: v.blocks })).toBeUndefined();
  });

  it('a broken run link whose draft is the missing one is said to be one cause and counted once', () => {
    const findings: Finding[] = relateSameCause([
      {
        code: 'HOT_RUN_SYMLINK_BROKEN',
        severity: 'crit',
        count: 2,
        message: '2 Hot run(s) broken',
        examples: ['CH01-001: run/capcut_draft -> /d/1', 'CH01-002: run/capcut_draft -> /d/2'],
      },
      {
        code: 'HOT_DRAFT_MISSING',
        severity: 'crit',
        count: 1,
        message: '1 Hot draft(s) missing',
        examples: ['CH01-001 draft not on this Mac: /d/1'],
      },
    ]);
    expect(findings[0]?.sameCause).toEqual({ code: 'HOT_DRAFT_MISSING', items: ['CH01-001'] });
    const v = doctorReportView(report(findings));
    expect(JSON.stringify(v.blocks)).toContain(
      '1 of them: their draft is the one HOT_DRAFT_MISSING reports: one cause',
    );
    expect((v.blocks[0] as { text: { text: string } }).text.text).toContain('(2 problems)');
  });

  it('a clean report says so', () => {
    const v = doctorReportView(report([], 'ok'));
    expect(JSON.stringify(v.blocks)).toContain('Storage is healthy');
    expect(JSON.stringify(v.blocks)).toContain('No findings');
  });

  it('a huge report is cut to Slack limits with "…and N more", keeping the button and the context line', () => {
    const codes = ['BROKEN_SYMLINK', 'VAULT_ABSOLUTE_SYMLINK', 'OUTBOX_PENDING', 'UNREADABLE_INPUT'] as FindingCode[];
    const findings: Finding[] = Array.from({ length: 80 }, (_, i) => ({
      code: codes[i % codes.length] as FindingCode,
      severity: 'warn',
      count: 100_000 + i,
      message: `finding ${i} ${'m'.repeat(600)}`,
      examples: Array.from({ length: 5 }, (_, j) => `some/very/long/path/${i}/${j}/${'p'.repeat(400)}`),
      breakdown: Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`area${k}`, k])),
    }));
    const v = doctorReportView(report(findings));
    expect(v.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(v.blocks).length).toBeLessThanOrEqual(12_000);
    for (const t of sections(v.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    expect(checkMessage({ text: v.text, blocks: v.blocks })).toBeUndefined();
    const all = JSON.stringify(v.blocks);
    expect(all).toMatch(/…and \d+ more findings/);
    expect(all).toMatch(/…and 10\d{4} more/); // examples of one finding cut
    const last = v.blocks.at(-1) as { type: string; elements: { value: string; action_id: string }[] };
    expect(last.type).toBe('actions');
    expect(last.elements[0]?.action_id).toBe('doctor.rerun');
    expect(last.elements[0]?.value.length).toBeLessThanOrEqual(2000);
    expect(v.blocks.at(-2)?.type).toBe('context');
    expect(v.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('homeView', () => {
  it('is a valid Home tab with the commands and the last verdict', () => {
    const view = homeView({
      host: 'mac',
      lastDoctor: {
        status: 'warn',
        exitCode: 1,
        generatedAt: '2026-11-22T02:00:00.000Z',
        host: 'mac',
        findings: [{ code: 'MIRROR_STALE', severity: 'warn', count: 1 }],
        reportPath: null,
      },
      allowedUsers: ['U1'],
      allowedChannels: ['C1'],
      readonlyOpen: false,
    });
    expect(checkView(view)).toBeUndefined();
    const all = JSON.stringify(view);
    expect(all).toContain('/ytm doctor');
    expect(all).toContain('/ytm audit');
    // Only what works in Slack.
    expect(all).not.toContain('/ytm status');
    expect(all).not.toContain('not available yet');
    expect(all).toContain('MIRROR_STALE (1)');
    expect(all).toContain('needs attention');
  });
});
