import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../../lib/plan/canonical.js';
import { isPlanId, planId, shortId } from '../../../lib/plan/id.js';
import { diffPreconditions } from '../../../lib/plan/preconditions.js';
import type { Plan } from '../../../lib/plan/types.js';
import { samplePlan } from './helpers.js';

describe('canonicalJson', () => {
  it('is stable under key order, recursively, with no whitespace', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('keeps array order significant and escapes strings like JSON', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ 'k"\n': 'v\u2028' })).toBe(JSON.stringify({ 'k"\n': 'v\u2028' }));
    expect(canonicalJson(-0)).toBe('0');
  });

  it.each([
    ['undefined at root', undefined],
    ['undefined field', { a: undefined }],
    ['undefined in array', [1, undefined]],
    ['function', { f: () => 1 }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['Date', { d: new Date(0) }],
    ['Map', new Map()],
    ['bigint', { b: 1n }],
    ['symbol', { s: Symbol('x') }],
    ['sparse array', Object.assign(new Array(3), { 0: 1, 2: 3 })],
  ])('rejects %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('rejects cycles but accepts a shared (non-circular) reference', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => canonicalJson(cyc)).toThrow(/circular/);
  });

  it('names the path of the offending value', () => {
    expect(() => canonicalJson({ actions: [{ ok: 1 }, { bytes: Number.NaN }] })).toThrow(/actions\[1\]\.bytes/);
  });
});

describe('planId', () => {
  it('is a sha256 hex that ignores key order', () => {
    const p = samplePlan();
    const reordered = Object.fromEntries(Object.entries(p).reverse()) as unknown as Plan;
    expect(planId(p)).toMatch(/^[0-9a-f]{64}$/);
    expect(isPlanId(planId(p))).toBe(true);
    expect(planId(reordered)).toBe(planId(p));
    expect(shortId(planId(p))).toBe(planId(p).slice(0, 10));
    expect(shortId(planId(p))).toHaveLength(10);
  });

  it('changes when any single field changes', () => {
    const base = samplePlan();
    const variants: Plan[] = [
      samplePlan({ job: 'relink' }),
      samplePlan({ input: { path: 'workspaces/audio/final/CH02/043/b.wav', symlinkBack: false } }),
      samplePlan({ createdAt: '2026-01-26T10:50:00.001Z' }),
      samplePlan({ host: 'acer' }),
      samplePlan({ preconditions: { share: { state: 'up', device: 43 }, source: base.preconditions.source ?? null } }),
      samplePlan({ actions: [{ op: 'copy', from: 'a.wav', to: 'uploads/x/a.wav', bytes: 1001 }] }),
      samplePlan({ warnings: ['w'] }),
      samplePlan({ refusals: [{ code: 'SHARE_DOWN', message: 'down' }] }),
      samplePlan({ summary: 'store 1 file' }),
      samplePlan({ destructive: true }),
    ];
    const ids = new Set([planId(base), ...variants.map(planId)]);
    expect(ids.size).toBe(variants.length + 1);
  });
});

describe('diffPreconditions', () => {
  it('lists exactly the changed facts with before/after, by dotted key', () => {
    const planned = { share: { state: 'up', device: 42 }, freeBytes: 100, listing: ['a', 'b'], gone: true };
    const current = { share: { state: 'hung', device: 42 }, freeBytes: 100, listing: ['a', 'c'], added: 1 };
    expect(diffPreconditions(planned, current)).toEqual([
      { key: 'added', before: undefined, after: 1 },
      { key: 'gone', before: true, after: undefined },
      { key: 'listing', before: ['a', 'b'], after: ['a', 'c'] },
      { key: 'share.state', before: 'up', after: 'hung' },
    ]);
  });

  it('is empty when nothing changed (key order does not matter)', () => {
    expect(diffPreconditions({ a: { x: 1, y: [1, { p: 2, q: 3 }] } }, { a: { y: [1, { q: 3, p: 2 }], x: 1 } })).toEqual(
      [],
    );
  });

  it('reports a type change (object → null) as one change', () => {
    expect(diffPreconditions({ share: { state: 'up' } }, { share: null })).toEqual([
      { key: 'share', before: { state: 'up' }, after: null },
    ]);
  });
});
