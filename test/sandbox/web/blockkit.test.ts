// The browser sandbox's Block Kit renderer: each block type, each mrkdwn rule, escaping (no markup from a message
// ever becomes HTML), link schemes, and the problems it reports for what it cannot show.
import { describe, expect, it } from 'vitest';
import { escapeHtml, mrkdwnToHtml, renderBlocksHtml } from './blockkit.js';
import { BLOCKKIT_CSS } from './blockkit-css.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string, emoji = true) => ({ type: 'plain_text', text, emoji });
const render = (...blocks: unknown[]) => renderBlocksHtml(blocks);

/** The attributes of every tag in `html`, so tests can read a button like the page's client does. */
function attrsOf(html: string, tag: string): Record<string, string>[] {
  const decodeAttr = (s: string) =>
    s.replace(
      /&(quot|#39|lt|gt|amp);/g,
      (_m, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e] as string,
    );
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries(
      [...(m[1] as string).matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], decodeAttr(a[2] as string)]),
    ),
  );
}

describe('escapeHtml', () => {
  it('escapes the five HTML specials and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a> ok`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; ok',
    );
  });
});

describe('mrkdwnToHtml', () => {
  it.each([
    ['*bold*', '<b>bold</b>'],
    ['_italic_', '<i>italic</i>'],
    ['~strike~', '<s>strike</s>'],
    ['*Share:* up', '<b>Share:</b> up'],
    ['~*nested* too~', '<s><b>nested</b> too</s>'],
    ['_by area:_ links: 3', '<i>by area:</i> links: 3'],
  ])('emphasis %s', (text, html) => {
    expect(mrkdwnToHtml(text)).toBe(html);
  });

  it('leaves markers inside words and lone markers alone', () => {
    expect(mrkdwnToHtml('capcut_draft_info.json and 2 * 3 * 4 and a*b*c')).toBe(
      'capcut_draft_info.json and 2 * 3 * 4 and a*b*c',
    );
  });

  it('inline code: monospace, not formatted, entities decoded once', () => {
    expect(mrkdwnToHtml('see `*not bold* &lt;x&gt; :x:` now')).toBe(
      'see <code class="bk-code">*not bold* &lt;x&gt; :x:</code> now',
    );
  });

  it('``` blocks become <pre>, even inline after text, and an unclosed fence stays text', () => {
    expect(mrkdwnToHtml('*Newest first*\n```line 1\n*line* &amp; 2```')).toBe(
      '<b>Newest first</b><pre class="bk-pre">line 1\n*line* &amp; 2</pre>',
    );
    expect(mrkdwnToHtml('a ```b')).toBe('a ```b');
    expect(mrkdwnToHtml('\nx\n```\np\n```\ny\n')).toBe('<br>x<pre class="bk-pre">p</pre>y<br>');
  });

  it('> lines (raw or as Slack stores them, &gt;) become one quote', () => {
    expect(mrkdwnToHtml('before\n> one *x*\n&gt; two\nafter')).toBe(
      'before<blockquote class="bk-quote">one <b>x</b><br>two</blockquote>after',
    );
  });

  it('newlines become <br>', () => {
    expect(mrkdwnToHtml('a\nb\n\nc')).toBe('a<br>b<br><br>c');
  });

  it('links open in a new tab; the label may be styled text', () => {
    expect(mrkdwnToHtml('<https://x.test/r?a=1&amp;b=2|the &lt;report&gt;> and <mailto:ops@x.test>')).toBe(
      '<a class="bk-link" href="https://x.test/r?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the &lt;report&gt;</a>' +
        ' and <a class="bk-link" href="mailto:ops@x.test" target="_blank" rel="noopener noreferrer">mailto:ops@x.test</a>',
    );
  });

  it('only http, https and mailto become links; other schemes are text', () => {
    const html = mrkdwnToHtml('<file:///etc/passwd|f> <javascript:alert(1)|x> <data:text/html,hi>');
    expect(html).not.toContain('<a ');
    expect(html).not.toMatch(/href=/);
    expect(html).toBe(
      '<span class="bk-link-text" title="file:///etc/passwd">f</span> &lt;javascript:alert(1)|x&gt; &lt;data:text/html,hi&gt;',
    );
  });

  it('mentions, channels and broadcasts', () => {
    expect(
      mrkdwnToHtml('<@U0123ABCD> <@U0456|dd> in <#C0123|ops> and <#C0789> <!here> <!channel> <!subteam^S01|@ops-team>'),
    ).toBe(
      [
        '<span class="bk-mention">@U0123ABCD</span>',
        '<span class="bk-mention">@dd</span> in',
        '<span class="bk-mention">#ops</span> and',
        '<span class="bk-mention">#C0789</span>',
        '<span class="bk-mention">@here</span>',
        '<span class="bk-mention">@channel</span>',
        '<span class="bk-mention">@ops-team</span>',
      ].join(' '),
    );
  });

  it('dates as readable UTC, following the format tokens', () => {
    expect(mrkdwnToHtml('since <!date^1767225600^{time}|09:12>')).toBe('since <span class="bk-date">00:00 UTC</span>');
    expect(mrkdwnToHtml('<!date^1767225661^{date_short_pretty} {time_secs}|x>')).toBe(
      '<span class="bk-date">2026-01-01 00:01:01 UTC</span>',
    );
  });

  it('known emoji shortcodes become emoji, unknown ones stay text, clock times are untouched', () => {
    const html = mrkdwnToHtml(':white_check_mark: :warning: :no_entry: :rotating_light: :not_an_emoji: 09:12:30');
    expect(html).toContain('✅');
    expect(html).toContain('⚠️');
    expect(html).toContain('⛔');
    expect(html).toContain('🚨');
    expect(html).toContain(' :not_an_emoji: 09:12:30');
    expect(mrkdwnToHtml('at 09:12:x:')).toBe('at 09:12<span class="bk-emoji" title=":x:">❌</span>');
  });

  it('decodes Slack entities and escapes everything exactly once: no markup gets through', () => {
    expect(mrkdwnToHtml('`/x/&lt;script&gt;alert(1)&lt;/script&gt;.wav` &amp;lt; a &amp; b')).toBe(
      '<code class="bk-code">/x/&lt;script&gt;alert(1)&lt;/script&gt;.wav</code> &amp;lt; a &amp; b',
    );
    const raw = mrkdwnToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> "q" \'s\'');
    expect(raw).not.toMatch(/<script|<img/);
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(raw).toContain('&quot;q&quot; &#39;s&#39;');
    expect(mrkdwnToHtml('<@U1|<b>x</b>> <https://x.test/"onmouseover="alert(1)|y>')).not.toMatch(
      /<b>|" onmouseover|"onmouseover/,
    );
  });

  it('text cannot forge the placeholders the renderer uses internally', () => {
    expect(mrkdwnToHtml('\uE0000\uE001 `c`')).toBe('\uFFFD0\uFFFD <code class="bk-code">c</code>');
  });
});

describe('renderBlocksHtml', () => {
  it('header: <h3> in its block wrapper, plain text with emoji', () => {
    const r = render({ type: 'header', text: plain(':warning: Doctor <did> not finish') });
    expect(r.problems).toEqual([]);
    expect(r.html).toBe(
      '<div class="bk-block bk-header"><h3 class="bk-header"><span class="bk-emoji" title=":warning:">⚠️</span> Doctor &lt;did&gt; not finish</h3></div>',
    );
  });

  it('plain_text keeps *, _ and shortcodes literal unless emoji is on', () => {
    const r = render({ type: 'section', text: plain('*a* :x:', false) });
    expect(r.html).toContain('*a* :x:');
  });

  it('section text, fields in a grid and a button accessory carrying the block id', () => {
    const r = render({
      type: 'section',
      block_id: 'relink.candidate.0',
      text: mrkdwn('*1. draft*'),
      fields: [mrkdwn('*Share:*\nup'), plain('Disk')],
      accessory: {
        type: 'button',
        text: plain('Use this draft'),
        action_id: 'relink.use_draft',
        value: '{"e":"CH01-001"}',
      },
    });
    expect(r.problems).toEqual([]);
    expect(r.html).toContain('<div class="bk-section-text"><b>1. draft</b></div>');
    expect(r.html).toContain(
      '<div class="bk-fields"><div class="bk-field"><b>Share:</b><br>up</div><div class="bk-field">Disk</div></div>',
    );
    expect(attrsOf(r.html, 'button')).toEqual([
      {
        type: 'button',
        class: 'bk-button',
        'data-action-id': 'relink.use_draft',
        'data-value': '{"e":"CH01-001"}',
        'data-block-id': 'relink.candidate.0',
      },
    ]);
  });

  it('context: mrkdwn, plain text and image elements on one small line', () => {
    const r = render({
      type: 'context',
      elements: [
        mrkdwn('by <@U1>'),
        plain('plain'),
        { type: 'image', image_url: 'https://x.test/i.png', alt_text: 'i' },
      ],
    });
    expect(r.problems).toEqual([]);
    expect(r.html).toMatch(
      /^<div class="bk-block bk-context"><span class="bk-context-item">by <span class="bk-mention">@U1<\/span><\/span>/,
    );
    expect(r.html).toContain('<span class="bk-context-item">plain</span>');
    expect(r.html).toContain('<img class="bk-context-image" src="https://x.test/i.png" alt="i" title="i">');
  });

  it('actions: primary, danger and default buttons; value, block id and the confirm dialog as JSON', () => {
    const confirm = {
      title: plain('Apply store · <x>?'),
      text: plain('2 source file(s) will be "replaced"'),
      confirm: plain('Approve and run'),
      deny: plain('Back'),
      style: 'danger',
    };
    const r = render({
      type: 'actions',
      block_id: 'plan.abc',
      elements: [
        {
          type: 'button',
          text: plain('Approve (destructive)'),
          action_id: 'plan.approve',
          value: 'id1',
          style: 'danger',
          confirm,
        },
        { type: 'button', text: plain('Approve'), action_id: 'plan.approve2', value: 'id2', style: 'primary' },
        { type: 'button', text: plain('Cancel'), action_id: 'plan.cancel' },
      ],
    });
    expect(r.problems).toEqual([]);
    const [danger, primary, cancel] = attrsOf(r.html, 'button');
    expect(danger?.class).toBe('bk-button bk-button--danger');
    expect(JSON.parse(danger?.['data-confirm'] ?? 'null')).toEqual(confirm);
    expect(danger?.['data-block-id']).toBe('plan.abc');
    expect(primary).toMatchObject({ class: 'bk-button bk-button--primary', 'data-value': 'id2' });
    expect(primary?.['data-confirm']).toBeUndefined();
    expect(cancel).toEqual({
      type: 'button',
      class: 'bk-button',
      'data-action-id': 'plan.cancel',
      'data-block-id': 'plan.abc',
    });
    expect(r.html).toContain('>Approve (destructive)</button>');
    expect(r.html).not.toContain('<x>');
  });

  it('divider, image and basic rich_text', () => {
    const r = render(
      { type: 'divider' },
      { type: 'image', image_url: 'https://x.test/a.png', alt_text: 'chart', title: plain('Disk') },
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'hi <x> ', style: { bold: true } },
              { type: 'link', url: 'https://x.test', text: 'site' },
              { type: 'emoji', name: 'tada' },
              { type: 'user', user_id: 'U1' },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'ordered',
            elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
          },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'code' }] },
          { type: 'rich_text_quote', elements: [{ type: 'link', url: 'javascript:alert(1)', text: 'bad' }] },
        ],
      },
    );
    expect(r.problems).toEqual([]);
    expect(r.html).toContain('<div class="bk-block bk-divider"><hr class="bk-divider"></div>');
    expect(r.html).toContain(
      '<figcaption>Disk</figcaption><img class="bk-image" src="https://x.test/a.png" alt="chart"',
    );
    expect(r.html).toContain('<b>hi &lt;x&gt; </b><a class="bk-link" href="https://x.test"');
    expect(r.html).toContain('🎉');
    expect(r.html).toContain('<ol class="bk-list"><li><div class="bk-rich-section">one</div></li></ol>');
    expect(r.html).toContain('<pre class="bk-pre">code</pre>');
    expect(r.html).toContain('<blockquote class="bk-quote">bad</blockquote>');
  });

  it('unknown and malformed blocks: a visible placeholder and a problem naming the block', () => {
    const r = render(
      { type: 'section', text: mrkdwn('fine') },
      { type: 'sparkles' },
      'not a block',
      { type: 'header', text: mrkdwn('mrkdwn header') },
      { type: 'actions', elements: [{ type: 'static_select', action_id: 's' }] },
      { type: 'section' },
      { type: 'context', elements: [] },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' },
    );
    expect(r.problems).toEqual([
      'block 1 (sparkles): unknown block type "sparkles"',
      'block 2: not a block object with a type',
      'block 3 (header): text has text type "mrkdwn"',
      'block 4 (actions): element 0 has unknown element type "static_select"',
      'block 5 (section): section without text or fields',
      'block 6 (context): context has no elements',
      'block 7 (image): image: image without an http(s) image_url',
    ]);
    expect(r.html.match(/class="bk-unknown"/g)).toHaveLength(7);
    expect(r.html).not.toContain('javascript:');
  });

  it('no blocks: the fallback text as mrkdwn; blocks that are not an array are a problem', () => {
    expect(renderBlocksHtml(undefined, ':hourglass_flowing_sand: looking for *drafts*…')).toEqual({
      html: '<div class="bk-block bk-fallback">⏳ looking for <b>drafts</b>…</div>'.replace(
        '⏳',
        '<span class="bk-emoji" title=":hourglass_flowing_sand:">⏳</span>',
      ),
      problems: [],
    });
    expect(renderBlocksHtml([], 'a &lt;b&gt;').html).toBe('<div class="bk-block bk-fallback">a &lt;b&gt;</div>');
    expect(renderBlocksHtml(undefined)).toEqual({ html: '', problems: [] });
    expect(renderBlocksHtml('oops', 'x').problems).toEqual(['blocks is string, not an array']);
  });
});

describe('BLOCKKIT_CSS', () => {
  it('styles every bk- class the renderer emits', () => {
    const emitted = new Set<string>();
    const sample = renderBlocksHtml([
      { type: 'header', text: plain('h :x:') },
      {
        type: 'section',
        text: mrkdwn('`c` ```p``` > q\n<@U1> <https://x.test|l> <file:///x|f> <!date^1^{time}|t>'),
        fields: [plain('f')],
      },
      {
        type: 'section',
        text: mrkdwn('a'),
        accessory: { type: 'image', image_url: 'https://x.test/i', alt_text: 'i' },
      },
      { type: 'context', elements: [plain('c'), { type: 'image', image_url: 'https://x.test/i', alt_text: 'i' }] },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: plain('b'), action_id: 'a', style: 'primary' },
          { type: 'button', text: plain('d'), action_id: 'd', style: 'danger' },
        ],
      },
      { type: 'divider' },
      { type: 'image', image_url: 'https://x.test/i', alt_text: 'i' },
      { type: 'rich_text', elements: [{ type: 'rich_text_list', elements: [] }] },
      { type: 'unknown' },
    ]).html;
    for (const m of sample.matchAll(/class="([^"]+)"/g)) for (const c of (m[1] as string).split(' ')) emitted.add(c);
    emitted.add('bk-fallback');
    const missing = [...emitted].filter((c) => !new RegExp(`\\.${c}(?![\\w-])`).test(BLOCKKIT_CSS));
    expect(missing).toEqual([]);
    expect(emitted.size).toBeGreaterThan(25);
  });
});
