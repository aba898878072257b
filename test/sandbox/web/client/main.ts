// The browser sandbox page: renders the channels from the server-sent state (test/sandbox/web/server.ts), sends
// what a person types as a `/ytm` command, presses buttons (with Slack's confirm dialog first), opens App Home
// and flips the fault panel.
import { escapeHtml, renderBlocksHtml } from '../blockkit.js';
import type { FaultState, SandboxItem as Item, PageState as State } from '../page-state.js';

interface ConfirmSpec {
  title?: { text?: string };
  text?: { text?: string };
  confirm?: { text?: string };
  deny?: { text?: string };
}

function el<T extends Element = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
}

let state: State | undefined;
const rendered = new Map<Element, string>();

interface Answer {
  ok: boolean;
  error?: string;
  faults?: FaultState;
}

async function post(path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Answer;
}

/** Mentions of the sandbox's user and channels by name, as the Slack client shows them (`<@U…>` → `@you`). */
function withNames(s: State, html: string): string {
  const names: [string, string][] = [
    [`>@${s.user.id}<`, `>@${escapeHtml(s.user.name)}<`],
    ...s.channels.map((c): [string, string] => [`>#${c.id}<`, `>#${escapeHtml(c.name)}<`]),
  ];
  return names.reduce((out, [id, name]) => out.split(id).join(name), html);
}

function messageHtml(s: State, item: Item, replies: readonly Item[]): string {
  const author = item.kind === 'command' ? escapeHtml(s.user.name) : 'ytm <span class="msg-app">APP</span>';
  const notes = [
    item.kind === 'ephemeral' ? '<span class="msg-ephemeral-note">Only visible to you</span>' : '',
    item.edited ? '<span class="msg-edited">(edited)</span>' : '',
  ].join(' ');
  const body = withNames(
    s,
    item.kind === 'command' ? escapeHtml(item.text) : renderBlocksHtml(item.blocks, item.text).html,
  );
  const thread = replies.length
    ? `<div class="thread" data-testid="thread">${replies.map((r) => messageHtml(s, r, [])).join('')}</div>`
    : '';
  return (
    `<article class="msg msg--${item.kind}" data-key="${escapeHtml(item.key)}" data-testid="message" ` +
    `data-kind="${item.kind}"><div class="msg-head"><span class="msg-author">${author}</span>${notes}</div>` +
    `<div class="msg-body">${body}</div>${thread}</article>`
  );
}

/** Replace a container's HTML only when it changed; a channel scrolled to the bottom stays there. */
function setHtml(container: Element, html: string): void {
  if (rendered.get(container) === html) return;
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.innerHTML = html;
  rendered.set(container, html);
  if (atBottom) container.scrollTop = container.scrollHeight;
}

function renderChannel(s: State, role: string, channelIndex: number): void {
  const channel = s.channels[channelIndex];
  const section = el(`.channel[data-role="${role}"]`);
  if (!channel) return;
  el(`.channel[data-role="${role}"] .channel-name`).textContent = `#${channel.name}`;
  el(`.channel[data-role="${role}"] .channel-purpose`).textContent = channel.purpose;
  const items = s.items.filter((i) => i.channel === channel.id);
  const top = items.filter((i) => !i.threadTs);
  const html = top
    .map((i) =>
      messageHtml(
        s,
        i,
        items.filter((r) => r.threadTs !== undefined && r.threadTs === i.ts),
      ),
    )
    .join('');
  setHtml(section.querySelector('.messages') as Element, html);
}

function renderFaults(f: FaultState): void {
  for (const kind of ['share', 'disk', 'draft'] as const) {
    for (const input of document.querySelectorAll<HTMLInputElement>(`#faults input[name="${kind}"]`)) {
      input.checked = input.value === f[kind];
      if (kind === 'share' && input.value === 'hung') {
        input.disabled = f.hungUnavailable !== null;
        const label = input.closest('label');
        label?.classList.toggle('unavailable', f.hungUnavailable !== null);
        if (label) label.title = f.hungUnavailable ?? 'a FUSE mount whose every stat blocks, like a dead SMB share';
      }
    }
  }
  setHtml(el('#fault-describe'), f.describe.map((d) => `<li>${escapeHtml(d)}</li>`).join(''));
}

function render(s: State): void {
  state = s;
  const status = el('#bot-status');
  status.textContent = s.bot.connected ? 'bot connected' : 'bot not connected';
  status.className = `status status--${s.bot.connected ? 'up' : 'down'}`;
  renderChannel(s, 'ops', 0);
  renderChannel(s, 'alerts', 1);
  renderFaults(s.faults);
  setHtml(el('.home-view'), s.home ? withNames(s, renderBlocksHtml(s.home).html) : '<p>Not opened yet.</p>');
}

async function confirmed(spec: ConfirmSpec): Promise<boolean> {
  const dialog = el<HTMLDialogElement>('#confirm');
  el('#confirm-title').textContent = spec.title?.text ?? 'Are you sure?';
  el('#confirm-text').textContent = spec.text?.text ?? '';
  el('#confirm-ok').textContent = spec.confirm?.text ?? 'Yes';
  el('#confirm-deny').textContent = spec.deny?.text ?? 'Cancel';
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  return dialog.returnValue === 'ok';
}

async function press(button: HTMLButtonElement): Promise<void> {
  const key = button.closest<HTMLElement>('[data-key]')?.dataset.key;
  const { actionId, value, blockId, confirm } = button.dataset;
  if (!key || !actionId) return;
  if (confirm && !(await confirmed(JSON.parse(confirm) as ConfirmSpec))) return;
  button.disabled = true;
  const result = await post('action', { key, actionId, value, blockId });
  if (!result.ok) el('#composer-error').textContent = result.error ?? 'the button did nothing';
}

const history: string[] = [];
let historyAt = 0;

function wireComposer(): void {
  const input = el<HTMLInputElement>('#composer-input');
  el<HTMLFormElement>('#composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    history.push(text);
    historyAt = history.length;
    input.value = '';
    el('#composer-error').textContent = '';
    const result = await post('command', { text }).catch((err: unknown) => ({ ok: false, error: String(err) }));
    if (!result.ok) el('#composer-error').textContent = result.error ?? 'the command was not sent';
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    historyAt = Math.max(0, Math.min(history.length, historyAt + (e.key === 'ArrowUp' ? -1 : 1)));
    input.value = history[historyAt] ?? '';
    e.preventDefault();
  });
}

function wireFaults(): void {
  el('#faults').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    el('#fault-error').textContent = '';
    for (const i of document.querySelectorAll<HTMLInputElement>('#faults input')) i.disabled = true;
    const result: Answer = await post('fault', { kind: input.name, value: input.value }).catch((err: unknown) => ({
      ok: false,
      error: String(err),
    }));
    if (!result.ok) el('#fault-error').textContent = result.error ?? 'the fault could not be set';
    for (const i of document.querySelectorAll<HTMLInputElement>('#faults input')) i.disabled = false;
    const now = result.faults ?? state?.faults;
    if (now) renderFaults(now);
  });
}

document.addEventListener('click', (e) => {
  const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action-id]');
  if (button) void press(button);
});
el('#open-home').addEventListener('click', () => void post('home', {}));
wireComposer();
wireFaults();
new EventSource('/sandbox/events').addEventListener('state', (e) => render(JSON.parse((e as MessageEvent).data)));
