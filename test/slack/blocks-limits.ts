/**
 * Slack's hard Block Kit limits (anchors.md §3 items 7–16), checked the way Slack replies:
 * messages → `invalid_blocks` / `msg_blocks_too_long` / `msg_too_long`; views → `invalid_arguments`.
 * Messages use Slack's `[ERROR] … [json-pointer:/blocks/0/text]` style.
 */

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  imageAltText: 2000,
  inputLabel: 2000,
  markdownText: 12_000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  /** Undocumented total cap (`msg_blocks_too_long`, bolt-js #2509); measured as JSON length of `blocks`. */
  messageBlocksJsonChars: 12_000,
  messageText: 40_000,
  attachments: 100,
} as const;

export interface LimitCheck {
  error: string;
  messages: string[];
}

const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
  'context_actions',
]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Findings {
  readonly messages: string[] = [];
  add(msg: string, pointer: string): void {
    this.messages.push(`[ERROR] ${msg} [json-pointer:${pointer}]`);
  }
}

function checkText(
  f: Findings,
  v: unknown,
  pointer: string,
  max: number,
  opts: { plainOnly?: boolean; required?: boolean } = {},
): void {
  if (v === undefined) {
    if (opts.required) f.add('missing required field: text', pointer);
    return;
  }
  if (!isObj(v)) {
    f.add('must be a text object', pointer);
    return;
  }
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
    f.add('must be one of plain_text, mrkdwn', `${pointer}/type`);
  } else if (opts.plainOnly && v.type !== 'plain_text') {
    f.add('must be plain_text', `${pointer}/type`);
  }
  if (typeof v.text !== 'string') {
    f.add('missing required field: text', `${pointer}/text`);
    return;
  }
  if (v.text.length === 0) f.add('must be more than 0 characters', `${pointer}/text`);
  if (v.text.length > max) f.add(`must be less than ${max + 1} characters`, `${pointer}/text`);
}

function checkMaxString(f: Findings, v: unknown, pointer: string, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'string') {
    f.add('must be a string', pointer);
    return;
  }
  if (v.length > max) f.add(`must be less than ${max + 1} characters`, pointer);
}

function checkConfirm(f: Findings, v: unknown, pointer: string): void {
  if (v === undefined) return;
  if (!isObj(v)) {
    f.add('must be a confirmation object', pointer);
    return;
  }
  checkText(f, v.title, `${pointer}/title`, LIMITS.confirmTitle, { plainOnly: true, required: true });
  checkText(f, v.text, `${pointer}/text`, LIMITS.confirmText, { required: true });
  checkText(f, v.confirm, `${pointer}/confirm`, LIMITS.confirmButton, { plainOnly: true, required: true });
  checkText(f, v.deny, `${pointer}/deny`, LIMITS.confirmButton, { plainOnly: true, required: true });
  if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') {
    f.add('must be one of primary, danger', `${pointer}/style`);
  }
}

function checkOptions(f: Findings, v: unknown, pointer: string, min: number, max: number): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) {
    f.add('must be an array', pointer);
    return;
  }
  if (v.length < min) f.add(`must provide at least ${min} items`, pointer);
  if (v.length > max) f.add(`no more than ${max} items allowed`, pointer);
  v.forEach((o, i) => {
    const p = `${pointer}/${i}`;
    if (!isObj(o)) {
      f.add('must be an option object', p);
      return;
    }
    checkText(f, o.text, `${p}/text`, LIMITS.optionText, { required: true });
    checkMaxString(f, o.value, `${p}/value`, LIMITS.optionValue);
  });
}

/** Interactive or display element (button, select, overflow, image, datepicker…). */
function checkElement(f: Findings, el: unknown, pointer: string): void {
  if (!isObj(el) || typeof el.type !== 'string') {
    f.add('must be an element object with a type', pointer);
    return;
  }
  checkMaxString(f, el.action_id, `${pointer}/action_id`, LIMITS.actionId);
  checkConfirm(f, el.confirm, `${pointer}/confirm`);
  if (el.placeholder !== undefined) {
    checkText(f, el.placeholder, `${pointer}/placeholder`, LIMITS.placeholder, { plainOnly: true });
  }
  switch (el.type) {
    case 'button':
      checkText(f, el.text, `${pointer}/text`, LIMITS.buttonText, { plainOnly: true, required: true });
      checkMaxString(f, el.value, `${pointer}/value`, LIMITS.buttonValue);
      checkMaxString(f, el.url, `${pointer}/url`, LIMITS.buttonUrl);
      checkMaxString(f, el.accessibility_label, `${pointer}/accessibility_label`, LIMITS.buttonText);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        f.add('must be one of primary, danger', `${pointer}/style`);
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      if (el.options === undefined && el.option_groups === undefined) {
        f.add('must provide either options or option_groups', pointer);
      }
      checkOptions(f, el.options, `${pointer}/options`, 1, LIMITS.selectOptions);
      break;
    case 'overflow':
      checkOptions(f, el.options, `${pointer}/options`, 1, 5);
      break;
    case 'radio_buttons':
    case 'checkboxes':
      checkOptions(f, el.options, `${pointer}/options`, 1, 10);
      break;
    case 'image':
      checkMaxString(f, el.alt_text, `${pointer}/alt_text`, LIMITS.imageAltText);
      if (typeof el.alt_text !== 'string') f.add('missing required field: alt_text', pointer);
      break;
    case 'plain_text':
    case 'mrkdwn':
      checkText(f, el, pointer, LIMITS.sectionText);
      break;
    default:
      break;
  }
}

function checkBlock(f: Findings, block: unknown, pointer: string, blockIds: Set<string>): void {
  if (!isObj(block) || typeof block.type !== 'string') {
    f.add('must be a block object with a type', pointer);
    return;
  }
  if (!KNOWN_BLOCK_TYPES.has(block.type)) f.add(`unsupported type: ${block.type}`, `${pointer}/type`);
  if (block.block_id !== undefined) {
    checkMaxString(f, block.block_id, `${pointer}/block_id`, LIMITS.blockId);
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) f.add(`duplicate block_id: ${block.block_id}`, `${pointer}/block_id`);
      blockIds.add(block.block_id);
    }
  }
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined && block.expand === undefined) {
        f.add('must provide either text or fields', pointer);
      }
      checkText(f, block.text, `${pointer}/text`, LIMITS.sectionText);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) f.add('must be an array', `${pointer}/fields`);
        else {
          if (block.fields.length > LIMITS.sectionFields) {
            f.add(`no more than ${LIMITS.sectionFields} items allowed`, `${pointer}/fields`);
          }
          block.fields.forEach((t, i) => {
            checkText(f, t, `${pointer}/fields/${i}`, LIMITS.sectionFieldText, { required: true });
          });
        }
      }
      if (block.accessory !== undefined) checkElement(f, block.accessory, `${pointer}/accessory`);
      break;
    }
    case 'header':
      checkText(f, block.text, `${pointer}/text`, LIMITS.headerText, { plainOnly: true, required: true });
      break;
    case 'context': {
      if (!Array.isArray(block.elements)) {
        f.add('missing required field: elements', pointer);
        break;
      }
      if (block.elements.length === 0) f.add('must provide at least 1 items', `${pointer}/elements`);
      if (block.elements.length > LIMITS.contextElements) {
        f.add(`no more than ${LIMITS.contextElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((el, i) => {
        checkElement(f, el, `${pointer}/elements/${i}`);
      });
      break;
    }
    case 'actions': {
      if (!Array.isArray(block.elements)) {
        f.add('missing required field: elements', pointer);
        break;
      }
      if (block.elements.length === 0) f.add('must provide at least 1 items', `${pointer}/elements`);
      if (block.elements.length > LIMITS.actionsElements) {
        f.add(`no more than ${LIMITS.actionsElements} items allowed`, `${pointer}/elements`);
      }
      const actionIds = new Set<string>();
      block.elements.forEach((el, i) => {
        const p = `${pointer}/elements/${i}`;
        checkElement(f, el, p);
        if (isObj(el) && typeof el.action_id === 'string') {
          if (actionIds.has(el.action_id)) f.add(`duplicate action_id: ${el.action_id}`, `${p}/action_id`);
          actionIds.add(el.action_id);
        }
      });
      break;
    }
    case 'image':
      if (typeof block.alt_text !== 'string') f.add('missing required field: alt_text', pointer);
      checkMaxString(f, block.alt_text, `${pointer}/alt_text`, LIMITS.imageAltText);
      if (block.image_url === undefined && block.slack_file === undefined) {
        f.add('must provide either image_url or slack_file', pointer);
      }
      if (block.title !== undefined) checkText(f, block.title, `${pointer}/title`, 2000, { plainOnly: true });
      break;
    case 'input':
      checkText(f, block.label, `${pointer}/label`, LIMITS.inputLabel, { plainOnly: true, required: true });
      if (block.hint !== undefined) checkText(f, block.hint, `${pointer}/hint`, 2000, { plainOnly: true });
      if (block.element === undefined) f.add('missing required field: element', pointer);
      else checkElement(f, block.element, `${pointer}/element`);
      break;
    case 'markdown':
      if (typeof block.text !== 'string') f.add('missing required field: text', pointer);
      else checkMaxString(f, block.text, `${pointer}/text`, LIMITS.markdownText);
      break;
    default:
      break;
  }
}

function checkBlockList(f: Findings, blocks: unknown[], pointer: string, max: number): void {
  if (blocks.length > max) f.add(`no more than ${max} items allowed`, pointer);
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(f, b, `${pointer}/${i}`, ids);
  });
}

export interface MessageLimitOptions {
  /** Cap for `JSON.stringify(blocks).length` (default {@link LIMITS.messageBlocksJsonChars}). */
  maxBlocksJsonChars?: number;
}

/**
 * Check a message body (`chat.postMessage`, `chat.update`, `chat.postEphemeral`, response_url, ack payload).
 * Returns undefined when Slack would accept it.
 */
export function checkMessage(body: Record<string, unknown>, opts: MessageLimitOptions = {}): LimitCheck | undefined {
  const f = new Findings();
  const { blocks, attachments, text } = body;
  if (blocks !== undefined && blocks !== null && blocks !== '') {
    if (!Array.isArray(blocks)) {
      return { error: 'invalid_blocks_format', messages: ['[ERROR] must be a JSON array [json-pointer:/blocks]'] };
    }
    checkBlockList(f, blocks, '/blocks', LIMITS.messageBlocks);
    if (f.messages.length > 0) return { error: 'invalid_blocks', messages: f.messages };
    const max = opts.maxBlocksJsonChars ?? LIMITS.messageBlocksJsonChars;
    const size = JSON.stringify(blocks).length;
    if (size > max) {
      return {
        error: 'msg_blocks_too_long',
        messages: [`[ERROR] blocks JSON is ${size} characters; the limit is ${max} [json-pointer:/blocks]`],
      };
    }
  }
  if (Array.isArray(attachments)) {
    if (attachments.length > LIMITS.attachments) {
      return {
        error: 'too_many_attachments',
        messages: [`[ERROR] no more than ${LIMITS.attachments} items allowed [json-pointer:/attachments]`],
      };
    }
    attachments.forEach((a, i) => {
      if (isObj(a) && Array.isArray(a.blocks)) checkBlockList(f, a.blocks, `/attachments/${i}/blocks`, 50);
    });
    if (f.messages.length > 0) return { error: 'invalid_attachments', messages: f.messages };
  }
  if (typeof text === 'string' && text.length > LIMITS.messageText) {
    return {
      error: 'msg_too_long',
      messages: [`[ERROR] must be less than ${LIMITS.messageText + 1} characters [json-pointer:/text]`],
    };
  }
  return undefined;
}

/** Check a view (`views.open` / `views.update` / `views.publish` / `views.push`). Slack replies `invalid_arguments`. */
export function checkView(view: unknown): LimitCheck | undefined {
  const f = new Findings();
  if (!isObj(view)) return { error: 'invalid_arguments', messages: ['[ERROR] must be an object [json-pointer:/view]'] };
  if (view.type !== 'modal' && view.type !== 'home') {
    f.add('must be one of modal, home', '/view/type');
  }
  if (view.type === 'modal') {
    checkText(f, view.title, '/view/title', LIMITS.viewTitle, { plainOnly: true, required: true });
  }
  if (view.submit !== undefined) {
    checkText(f, view.submit, '/view/submit', LIMITS.viewButton, { plainOnly: true });
  }
  if (view.close !== undefined) checkText(f, view.close, '/view/close', LIMITS.viewButton, { plainOnly: true });
  checkMaxString(f, view.private_metadata, '/view/private_metadata', LIMITS.privateMetadata);
  checkMaxString(f, view.callback_id, '/view/callback_id', LIMITS.callbackId);
  checkMaxString(f, view.external_id, '/view/external_id', 255);
  if (!Array.isArray(view.blocks)) f.add('missing required field: blocks', '/view/blocks');
  else checkBlockList(f, view.blocks, '/view/blocks', LIMITS.viewBlocks);
  return f.messages.length > 0 ? { error: 'invalid_arguments', messages: f.messages } : undefined;
}
