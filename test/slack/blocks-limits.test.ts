import { describe, expect, it } from 'vitest';
import { checkMessage, checkView, LIMITS } from './blocks-limits.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (action_id: string, over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id,
  text: { type: 'plain_text', text: 'Go' },
  value: 'v',
  ...over,
});
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });

describe('checkMessage: Slack hard limits at their boundaries', () => {
  it('accepts a message exactly at each limit', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(LIMITS.headerText) } },
      section('s'.repeat(LIMITS.sectionText)),
      actions(button('a', { text: { type: 'plain_text', text: 'b'.repeat(75) }, value: 'v'.repeat(2000) })),
      ...Array.from({ length: 47 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    expect(checkMessage({ blocks })).toBeUndefined();
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), /no more than 50 items allowed/],
    [
      'section text 3001',
      [section('s'.repeat(3001))],
      /less than 3001 characters \[json-pointer:\/blocks\/0\/text\/text\]/,
    ],
    ['header 151', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], /less than 151/],
    ['header mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], /must be plain_text/],
    ['button text 76', [actions(button('a', { text: { type: 'plain_text', text: 'b'.repeat(76) } }))], /less than 76/],
    ['button value 2001', [actions(button('a', { value: 'v'.repeat(2001) }))], /elements\/0\/value/],
    ['duplicate action_id', [actions(button('same'), button('same'))], /duplicate action_id: same/],
    [
      'duplicate block_id',
      [
        { ...section('a'), block_id: 'x' },
        { ...section('b'), block_id: 'x' },
      ],
      /duplicate block_id/,
    ],
    ['26 actions elements', [actions(...Array.from({ length: 26 }, (_, i) => button(`b${i}`)))], /no more than 25/],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      /no more than 10/,
    ],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      /no more than 10/,
    ],
    ['empty text', [section('')], /more than 0 characters/],
    ['bad style', [actions(button('a', { style: 'green' }))], /primary, danger/],
    ['unknown block type', [{ type: 'sparkles' }], /unsupported type/],
    [
      'confirm title 101',
      [
        actions(
          button('a', {
            confirm: {
              title: { type: 'plain_text', text: 't'.repeat(101) },
              text: { type: 'plain_text', text: 'x' },
              confirm: { type: 'plain_text', text: 'y' },
              deny: { type: 'plain_text', text: 'n' },
            },
          }),
        ),
      ],
      /confirm\/title\/text/,
    ],
  ])('rejects %s with invalid_blocks', (_name, blocks, message) => {
    const r = checkMessage({ blocks });
    expect(r?.error).toBe('invalid_blocks');
    expect(r?.messages.join('\n')).toMatch(message);
  });

  it('reports msg_blocks_too_long above the total JSON cap, and the cap is configurable', () => {
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
    expect(JSON.stringify(blocks).length).toBeGreaterThan(12_000);
    expect(checkMessage({ blocks })?.error).toBe('msg_blocks_too_long');
    expect(checkMessage({ blocks }, { maxBlocksJsonChars: 20_000 })).toBeUndefined();
  });

  it('rejects non-array blocks, over-long text and too many attachments', () => {
    expect(checkMessage({ blocks: 'not json' })?.error).toBe('invalid_blocks_format');
    expect(checkMessage({ text: 'x'.repeat(40_001) })?.error).toBe('msg_too_long');
    expect(checkMessage({ attachments: Array.from({ length: 101 }, () => ({})) })?.error).toBe('too_many_attachments');
    expect(checkMessage({ text: 'plain' })).toBeUndefined();
  });
});

describe('checkView', () => {
  const modal = (over: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'Approve plan' },
    blocks: [section('x')],
    ...over,
  });

  it('accepts 100 blocks and a 24-char title; rejects 101 blocks and a 25-char title', () => {
    expect(checkView(modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) }))).toBeUndefined();
    expect(checkView(modal({ title: { type: 'plain_text', text: 't'.repeat(24) } }))).toBeUndefined();
    expect(
      checkView(modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }))?.messages.join(),
    ).toMatch(/no more than 100 items allowed \[json-pointer:\/view\/blocks\]/);
    expect(checkView(modal({ title: { type: 'plain_text', text: 't'.repeat(25) } }))?.error).toBe('invalid_arguments');
  });

  it('checks private_metadata, submit and the view type', () => {
    expect(checkView(modal({ private_metadata: 'm'.repeat(3001) }))?.messages.join()).toMatch(/private_metadata/);
    expect(checkView(modal({ submit: { type: 'plain_text', text: 's'.repeat(25) } }))?.messages.join()).toMatch(
      /submit/,
    );
    expect(checkView({ type: 'dialog', blocks: [] })?.messages.join()).toMatch(/modal, home/);
    expect(checkView({ type: 'home', blocks: [] })).toBeUndefined();
  });
});
