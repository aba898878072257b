// Block Kit as HTML for the browser sandbox: every block and element type the bot sends (header, section with
// text/fields/accessory, context, actions with buttons and confirm dialogs, divider) plus image and basic
// rich_text, styled by blockkit-css.ts to look like the Slack client. Anything else becomes a visible
// `bk-unknown` placeholder and a line in `problems`, so a view the sandbox cannot show is noticed, not hidden.
// Pure string functions: the main build compiles it and the browser imports dist/test/sandbox/web/blockkit.js.
// Safety: Slack's entities are decoded first and every piece of text is HTML-escaped exactly once afterwards.
import { decodeEntities, parseToken, SLACK_TOKEN } from './slack-markup.js';

export interface RenderedBlocks {
  html: string;
  problems: string[];
}

type Json = Record<string, unknown>;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** The shortcodes the bot writes (grep bot/ for `:[a-z_]+:`) and a few common ones; others stay as text. */
const EMOJI: Record<string, string> = {
  '+1': '👍',
  arrow_forward: '▶️',
  arrows_counterclockwise: '🔄',
  ballot_box_with_check: '☑️',
  bell: '🔔',
  bulb: '💡',
  clock3: '🕒',
  construction: '🚧',
  desktop_computer: '🖥️',
  eyes: '👀',
  fast_forward: '⏩',
  fire: '🔥',
  heavy_check_mark: '✔️',
  heavy_equals_sign: '🟰',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  inbox_tray: '📥',
  information_source: 'ℹ️',
  large_blue_circle: '🔵',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  link: '🔗',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  mute: '🔇',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  octagonal_sign: '🛑',
  outbox_tray: '📤',
  package: '📦',
  question: '❓',
  red_circle: '🔴',
  rotating_light: '🚨',
  tada: '🎉',
  thumbsup: '👍',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  zzz: '💤',
};

/** `:name:` → the emoji where it is known; a colon that opened an unknown name can still close a known one. */
function emojify(s: string): string {
  const re = /:([a-z0-9_+-]+):/g;
  let out = '';
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const emoji = EMOJI[m[1] as string];
    if (!emoji) {
      re.lastIndex = m.index + m[0].length - 1;
      continue;
    }
    out += `${s.slice(last, m.index)}<span class="bk-emoji" title=":${m[1]}:">${emoji}</span>`;
    last = re.lastIndex;
  }
  return out + s.slice(last);
}

// Emphasis opens after a start, space or punctuation and closes before one, like Slack's client:
// `capcut_draft_info` stays plain, `_by area:_` is italic, `~*x*~` nests. What surrounds it here is escaped
// text, tags already emitted, or the \uE000/\uE001 frames of placeholders: none of them letters or digits.
function emphasis(s: string, marker: '*' | '_' | '~', tag: string): string {
  const m = marker === '*' ? '\\*' : marker;
  const edge = String.raw`[^\p{L}\p{N}]`;
  const re = new RegExp(`(?<=^|${edge})${m}(?=[^\\s${m}])([^${m}\\n]*?[^\\s${m}])${m}(?=$|${edge})`, 'gu');
  return s.replace(re, (_all, inner: string) => `<${tag}>${inner}</${tag}>`);
}

const SAFE_HREF = /^(https?:|mailto:)/i;

function tokenHtml(inner: string): string | null {
  const t = parseToken(inner);
  if (!t) return null;
  if (t.kind !== 'link') return `<span class="bk-${t.kind}">${escapeHtml(decodeEntities(t.text))}</span>`;
  const url = decodeEntities(t.url);
  const label = t.label === null ? escapeHtml(url) : emojify(escapeHtml(decodeEntities(t.label)));
  if (!SAFE_HREF.test(url)) return `<span class="bk-link-text" title="${escapeHtml(url)}">${label}</span>`;
  return `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

/** One line of mrkdwn outside code blocks: code spans and `<…>` tokens first, then escape, emphasis, emoji. */
function inlineHtml(line: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE001`;
  const marked = line
    .replace(/`([^`\n]+)`/g, (_m, code: string) =>
      hold(`<code class="bk-code">${escapeHtml(decodeEntities(code))}</code>`),
    )
    .replace(SLACK_TOKEN, (whole, inner: string) => {
      const html = tokenHtml(inner);
      return html === null ? whole : hold(html);
    });
  let html = escapeHtml(decodeEntities(marked));
  html = emphasis(html, '*', 'b');
  html = emphasis(html, '_', 'i');
  html = emphasis(html, '~', 's');
  return emojify(html).replace(/\uE000(\d+)\uE001/g, (_m, i: string) => held[Number(i)] as string);
}

const QUOTE = /^(?:>|&gt;) ?/;

/** Lines of text between code blocks: `>` lines grouped into one quote, the rest joined with <br>. */
function linesHtml(text: string): string {
  const out: string[] = [];
  let quote: string[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.length > 0) out.push(plain.join('<br>'));
    if (quote.length > 0) out.push(`<blockquote class="bk-quote">${quote.join('<br>')}</blockquote>`);
    plain = [];
    quote = [];
  };
  for (const line of text.split('\n')) {
    const isQuote = QUOTE.test(line);
    if (isQuote ? plain.length > 0 : quote.length > 0) flush();
    (isQuote ? quote : plain).push(inlineHtml(isQuote ? line.replace(QUOTE, '') : line));
  }
  flush();
  return out.join('');
}

/** Slack mrkdwn as the client shows it. */
export function mrkdwnToHtml(text: string): string {
  const parts = text.replace(/[\uE000\uE001]/g, '\uFFFD').split('```');
  // An unclosed fence is text, as in Slack.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}\`\`\`${parts.at(-1)}`);
  // A <pre> is a block of its own: the newlines next to its fences only separate it from the text around it.
  const trim = (s: string, start: boolean, end: boolean) => {
    const t = start ? s.replace(/^\n/, '') : s;
    return end ? t.replace(/\n$/, '') : t;
  };
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return `<pre class="bk-pre">${escapeHtml(decodeEntities(trim(part, true, true)))}</pre>`;
      const text = trim(part, i > 0, i < parts.length - 1);
      return text === '' ? '' : linesHtml(text);
    })
    .join('');
}

/** Renders one block; reports what it cannot show through `problem`. */
class BlockRenderer {
  readonly problems: string[] = [];
  private where = '';

  problem(what: string): string {
    const msg = `${this.where}: ${what}`;
    this.problems.push(msg);
    return `<div class="bk-unknown">${escapeHtml(msg)}</div>`;
  }

  text(t: unknown, what: string, plainOnly = false): string {
    if (!isObj(t) || typeof t.text !== 'string') return this.problem(`${what} is not a text object`);
    if (t.type === 'plain_text') {
      const html = escapeHtml(t.text).replace(/\n/g, '<br>');
      return t.emoji === false ? html : emojify(html);
    }
    if (t.type === 'mrkdwn' && !plainOnly) return mrkdwnToHtml(t.text);
    return this.problem(`${what} has text type ${JSON.stringify(t.type)}`);
  }

  button(el: Json, blockId: unknown, what: string): string {
    const style = el.style === 'primary' || el.style === 'danger' ? ` bk-button--${el.style}` : '';
    if (typeof el.action_id !== 'string') return this.problem(`${what}: button without action_id`);
    const attrs = [`data-action-id="${escapeHtml(el.action_id)}"`];
    if (typeof el.value === 'string') attrs.push(`data-value="${escapeHtml(el.value)}"`);
    if (typeof blockId === 'string') attrs.push(`data-block-id="${escapeHtml(blockId)}"`);
    if (typeof el.url === 'string' && SAFE_HREF.test(el.url)) attrs.push(`data-url="${escapeHtml(el.url)}"`);
    if (el.confirm !== undefined) {
      if (!isObj(el.confirm) || !isObj(el.confirm.title) || !isObj(el.confirm.text)) {
        this.problem(`${what}: malformed confirm dialog`);
      } else attrs.push(`data-confirm="${escapeHtml(JSON.stringify(el.confirm))}"`);
    }
    const label = this.text(el.text, `${what} text`, true);
    return `<button type="button" class="bk-button${style}" ${attrs.join(' ')}>${label}</button>`;
  }

  image(el: Json, cls: string, what: string): string {
    const alt = typeof el.alt_text === 'string' ? el.alt_text : '';
    if (typeof el.image_url !== 'string' || !/^https?:/i.test(el.image_url)) {
      return this.problem(`${what}: image without an http(s) image_url`);
    }
    return `<img class="${cls}" src="${escapeHtml(el.image_url)}" alt="${escapeHtml(alt)}" title="${escapeHtml(alt)}">`;
  }

  element(el: unknown, blockId: unknown, what: string): string {
    if (!isObj(el)) return this.problem(`${what} is not an object`);
    if (el.type === 'button') return this.button(el, blockId, what);
    if (el.type === 'image') return this.image(el, 'bk-image-element', what);
    return this.problem(`${what} has unknown element type ${JSON.stringify(el.type)}`);
  }

  /** A block's `elements`, each rendered by `each`; a visible problem when there are none. */
  elements(b: Json, what: string, each: (el: unknown, i: number) => string): string {
    if (!Array.isArray(b.elements) || b.elements.length === 0) return this.problem(`${what} has no elements`);
    return b.elements.map(each).join('');
  }

  section(b: Json): string {
    const parts: string[] = [];
    if (b.text !== undefined) parts.push(`<div class="bk-section-text">${this.text(b.text, 'text')}</div>`);
    if (Array.isArray(b.fields)) {
      const fields = b.fields.map((f, i) => `<div class="bk-field">${this.text(f, `field ${i}`)}</div>`);
      parts.push(`<div class="bk-fields">${fields.join('')}</div>`);
    }
    if (parts.length === 0) parts.push(this.problem('section without text or fields'));
    const main = `<div class="bk-section-main">${parts.join('')}</div>`;
    if (b.accessory === undefined) return main;
    return `${main}<div class="bk-accessory">${this.element(b.accessory, b.block_id, 'accessory')}</div>`;
  }

  context(b: Json): string {
    return this.elements(b, 'context', (el, i) => {
      const what = `element ${i}`;
      if (isObj(el) && el.type === 'image') return this.image(el, 'bk-context-image', what);
      return `<span class="bk-context-item">${this.text(el, what)}</span>`;
    });
  }

  block(b: unknown, index: number): string {
    this.where = `block ${index}`;
    if (!isObj(b) || typeof b.type !== 'string') return this.problem('not a block object with a type');
    this.where = `block ${index} (${b.type})`;
    const wrap = (inner: string) => `<div class="bk-block bk-${escapeHtml(b.type as string)}">${inner}</div>`;
    switch (b.type) {
      case 'header':
        return wrap(`<h3 class="bk-header">${this.text(b.text, 'text', true)}</h3>`);
      case 'section':
        return wrap(this.section(b));
      case 'context':
        return wrap(this.context(b));
      case 'actions':
        return wrap(this.elements(b, 'actions', (el, i) => this.element(el, b.block_id, `element ${i}`)));
      case 'divider':
        return wrap('<hr class="bk-divider">');
      case 'image': {
        const title = b.title === undefined ? '' : `<figcaption>${this.text(b.title, 'title', true)}</figcaption>`;
        return wrap(`<figure class="bk-figure">${title}${this.image(b, 'bk-image', 'image')}</figure>`);
      }
      case 'rich_text':
        return wrap(this.elements(b, 'rich_text', (el, i) => this.richBlock(el, `element ${i}`)));
      default:
        return this.problem(`unknown block type ${JSON.stringify(b.type)}`);
    }
  }

  // rich_text: what the Slack composer sends (sections, lists, code blocks, quotes of styled runs).
  richBlock(el: unknown, what: string): string {
    if (!isObj(el) || !Array.isArray(el.elements)) return this.problem(`${what} is not a rich_text element`);
    const items = el.elements as unknown[];
    switch (el.type) {
      case 'rich_text_section':
        return `<div class="bk-rich-section">${this.richInline(items, what)}</div>`;
      case 'rich_text_preformatted':
        return `<pre class="bk-pre">${this.richInline(items, what)}</pre>`;
      case 'rich_text_quote':
        return `<blockquote class="bk-quote">${this.richInline(items, what)}</blockquote>`;
      case 'rich_text_list': {
        const tag = el.style === 'ordered' ? 'ol' : 'ul';
        const lis = items.map((s, i) => `<li>${this.richBlock(s, `${what} item ${i}`)}</li>`).join('');
        return `<${tag} class="bk-list">${lis}</${tag}>`;
      }
      default:
        return this.problem(`${what} has unknown rich_text type ${JSON.stringify(el.type)}`);
    }
  }

  richInline(items: unknown[], what: string): string {
    return items
      .map((it, i) => {
        if (!isObj(it)) return this.problem(`${what} run ${i} is not an object`);
        const text = richRun(it);
        if (text === null) return this.problem(`${what} run ${i} has unknown type ${JSON.stringify(it.type)}`);
        const s = isObj(it.style) ? it.style : {};
        let html = text;
        if (s.code) html = `<code class="bk-code">${html}</code>`;
        if (s.bold) html = `<b>${html}</b>`;
        if (s.italic) html = `<i>${html}</i>`;
        if (s.strike) html = `<s>${html}</s>`;
        return html;
      })
      .join('');
  }
}

/** One styled run of rich_text as HTML; null for a run type it does not know. */
function richRun(it: Json): string | null {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (it.type) {
    case 'text':
      return escapeHtml(str(it.text)).replace(/\n/g, '<br>');
    case 'link': {
      const url = str(it.url);
      const label = escapeHtml(str(it.text) || url);
      return SAFE_HREF.test(url)
        ? `<a class="bk-link" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`
        : label;
    }
    case 'emoji':
      return emojify(`:${escapeHtml(str(it.name))}:`);
    case 'user':
      return `<span class="bk-mention">@${escapeHtml(str(it.user_id))}</span>`;
    case 'channel':
      return `<span class="bk-mention">#${escapeHtml(str(it.channel_id))}</span>`;
    case 'broadcast':
      return `<span class="bk-mention">@${escapeHtml(str(it.range))}</span>`;
    default:
      return null;
  }
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message's blocks as HTML; empty or absent blocks show the fallback text (mrkdwn), as Slack does. */
export function renderBlocksHtml(blocks: unknown, fallbackText = ''): RenderedBlocks {
  const r = new BlockRenderer();
  if (blocks !== undefined && blocks !== null && !Array.isArray(blocks)) {
    r.problems.push(`blocks is ${typeof blocks}, not an array`);
  }
  if (!Array.isArray(blocks) || blocks.length === 0) {
    const html = fallbackText ? `<div class="bk-block bk-fallback">${mrkdwnToHtml(fallbackText)}</div>` : '';
    return { html, problems: r.problems };
  }
  const html = blocks.map((b, i) => r.block(b, i)).join('');
  return { html, problems: r.problems };
}
