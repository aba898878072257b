import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../lib/audit/entry.js';
import { AuditCorruptError, appendAudit, readAudit, readAuditHead, verifyAudit } from '../../../lib/audit/log.js';
import { auditFile, auditHeadFile } from '../../../lib/audit/paths.js';
import { runChild, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

async function fill(n: number) {
  for (let i = 0; i < n; i++) {
    await appendAudit(dir, {
      kind: i === 0 ? 'plan.requested' : 'plan.approved',
      actor: `U${i}`,
      planId: 'a'.repeat(64),
      data: { i },
      at: new Date(Date.UTC(2026, 0, 1, 0, i)),
    });
  }
}

const fileLines = async () => (await readFile(auditFile(dir), 'utf8')).split('\n').filter(Boolean);

describe('audit log', () => {
  it('chains lines: seq from 1, prev = previous hash, genesis prev is 64 zeros', async () => {
    await fill(3);
    const entries = await readAudit(dir);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]?.prev).toBe(GENESIS_HASH);
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
    expect(entries[2]?.prev).toBe(entries[1]?.hash);
    expect(await verifyAudit(dir)).toEqual({ ok: true, lines: 3, problems: [] });
  });

  it('an empty or missing log verifies', async () => {
    expect(await verifyAudit(dir)).toEqual({ ok: true, lines: 0, problems: [] });
    expect(await readAudit(dir)).toEqual([]);
  });

  it('leaves optional fields out when absent', async () => {
    const e = await appendAudit(dir, { kind: 'bot.started' });
    expect(e).not.toHaveProperty('actor');
    expect(e.data).toBeNull();
    expect((await fileLines())[0]).not.toContain('actor');
    expect((await verifyAudit(dir)).ok).toBe(true);
  });

  it('detects an edited middle line', async () => {
    await fill(4);
    const lines = await fileLines();
    lines[1] = (lines[1] as string).replace('"U1"', '"U9"');
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    const v = await verifyAudit(dir);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.line)).toEqual([2]);
  });

  it('detects an edited line whose hash was recomputed (the next line no longer chains)', async () => {
    await fill(3);
    const lines = await fileLines();
    const { entryHash } = await import('../../../lib/audit/entry.js');
    const { canonicalJson } = await import('../../../lib/plan/canonical.js');
    const e = JSON.parse(lines[1] as string);
    e.data = { i: 999 };
    e.hash = entryHash(e);
    lines[1] = canonicalJson(e);
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    const v = await verifyAudit(dir);
    expect(v.problems.map((p) => p.line)).toEqual([3]);
    expect(v.problems[0]?.reason).toContain('prev does not match');
  });

  it('detects a removed middle line', async () => {
    await fill(4);
    const lines = await fileLines();
    lines.splice(1, 1);
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    expect((await verifyAudit(dir)).problems.map((p) => p.line)).toEqual([2]);
  });

  it('detects lines cut off the end (via the head record)', async () => {
    await fill(4);
    const lines = await fileLines();
    await writeFile(auditFile(dir), `${lines.slice(0, 3).join('\n')}\n`);
    const v = await verifyAudit(dir);
    expect(v).toMatchObject({ ok: false, lines: 3 });
    expect(v.problems.map((p) => p.line)).toEqual([4]);
  });

  it('refuses to extend a chain whose last line is damaged', async () => {
    await fill(2);
    const lines = await fileLines();
    lines[1] = '{"not":"an entry"}';
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    await expect(appendAudit(dir, { kind: 'x' })).rejects.toThrow(AuditCorruptError);
  });

  it('a torn final write is moved aside with an audit entry saying so, and the chain goes on', async () => {
    await fill(2);
    const torn = '{"seq":3,"at":"20';
    await writeFile(auditFile(dir), `${(await fileLines()).join('\n')}\n${torn}`);
    const e = await appendAudit(dir, { kind: 'after.crash' });
    expect(e.seq).toBe(4);
    const entries = await readAudit(dir);
    expect(entries.map((x) => x.kind)).toEqual(['plan.requested', 'plan.approved', 'audit.repaired', 'after.crash']);
    const repair = entries[2]?.data as { savedTo: string; bytes: number };
    expect(repair.bytes).toBe(Buffer.byteLength(torn));
    expect(path.dirname(repair.savedTo)).toBe(path.dirname(auditFile(dir)));
    expect(await readFile(repair.savedTo, 'utf8')).toBe(torn);
    expect(await verifyAudit(dir)).toEqual({ ok: true, lines: 4, problems: [] });
  });

  it('a torn last line that an older version ended with a newline is moved aside too', async () => {
    await fill(2);
    await writeFile(auditFile(dir), `${(await fileLines()).join('\n')}\n{"seq":3,"at":"20\n`);
    await appendAudit(dir, { kind: 'after.crash' });
    expect((await readAudit(dir)).map((x) => x.kind)).toEqual([
      'plan.requested',
      'plan.approved',
      'audit.repaired',
      'after.crash',
    ]);
    expect((await verifyAudit(dir)).ok).toBe(true);
  });

  it('reports every bad line, not only the first', async () => {
    await fill(8);
    const lines = await fileLines();
    lines[2] = (lines[2] as string).replace('"U2"', '"U9"');
    lines[5] = 'garbage';
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    const v = await verifyAudit(dir);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.line)).toEqual([3, 6]);
  });

  it('an anchor the log no longer holds is reported, even when head.json was rewritten to match', async () => {
    await fill(5);
    const anchor = { ...((await readAuditHead(dir)) as { seq: number; hash: string }), source: 'report.json' };
    expect(anchor.seq).toBe(5);
    expect(await verifyAudit(dir, { anchor })).toMatchObject({ ok: true, anchor });
    // Cut the last two lines and make head.json agree: the chain and the head alone see nothing wrong.
    const lines = (await fileLines()).slice(0, 3);
    await writeFile(auditFile(dir), `${lines.join('\n')}\n`);
    const last = JSON.parse(lines[2] as string) as { seq: number; hash: string };
    await writeFile(auditHeadFile(dir), JSON.stringify({ seq: last.seq, hash: last.hash }));
    expect((await verifyAudit(dir)).ok).toBe(true);
    const cut = await verifyAudit(dir, { anchor });
    expect(cut.ok).toBe(false);
    expect(cut.problems[0]?.reason).toMatch(/log ends at seq 3 but report.json recorded seq 5: .*truncated/);
    // A whole new, self-consistent log in place of the old one: the line at the anchor's seq differs.
    await rm(auditFile(dir));
    await rm(auditHeadFile(dir));
    for (let i = 0; i < 6; i++) await appendAudit(dir, { kind: 'forged', data: { i } });
    const rewritten = await verifyAudit(dir, { anchor });
    expect(rewritten.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/seq 5 .*rewritten/)]);
  });

  it('readAudit filters by since and keeps the most recent `limit`, in order', async () => {
    await fill(5); // minutes 0..4
    const since = await readAudit(dir, { since: new Date(Date.UTC(2026, 0, 1, 0, 2)) });
    expect(since.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect((await readAudit(dir, { limit: 2 })).map((e) => e.seq)).toEqual([4, 5]);
    expect(await readAudit(dir, { limit: 0 })).toEqual([]);
  });

  it('concurrent appends from several processes keep one valid chain', async () => {
    const procs = ['p1', 'p2', 'p3', 'p4'].map((tag) => runChild('audit-appender.ts', [dir, '15', tag]));
    const results = await Promise.all(procs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const v = await verifyAudit(dir);
    expect(v).toEqual({ ok: true, lines: 60, problems: [] });
    const entries = await readAudit(dir);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const tag of ['p1', 'p2', 'p3', 'p4']) {
      const mine = entries.filter((e) => e.actor === tag).map((e) => (e.data as { i: number }).i);
      expect(mine).toEqual(Array.from({ length: 15 }, (_, i) => i)); // each writer's order is kept
    }
  });
});
