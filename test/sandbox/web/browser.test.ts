// `npm run sandbox` in a real browser (Debian's chromium driven by playwright-core): the page shows the doctor's
// report, a store plan approved with its button ends "copied and verified" with the files' bytes on the share, a
// share flipped down in the fault panel raises the alert and flipped up resolves it, and Ctrl-C leaves no process
// and no mount. A screenshot of each step goes to test-artifacts/sandbox/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mountTargets, stallFsUnavailableReason } from '../../faults/stall-mount.js';
import { descendants, isRunning } from '../../helpers/pids.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'sandbox');
const noBrowser = existsSync(CHROMIUM) ? null : `needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`;
const noFuse = stallFsUnavailableReason();

let tmp: string;
let ws: string;
let sandbox: ResultPromise<{ cwd: string; reject: false; buffer: false; detached: true }>;
let output = '';
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const ops = () => page.getByTestId('messages-ops');
const alerts = () => page.getByTestId('messages-alerts');
const message = (container: Locator, text: string | RegExp) =>
  container.locator('[data-testid="message"]').filter({ hasText: text });
const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function typeCommand(text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

describe.skipIf(noBrowser !== null)(`npm run sandbox in a browser (${noBrowser ?? 'chromium'})`, () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(path.join(tmpdir(), 'ytm-web-sandbox-'));
    ws = path.join(tmp, 'ws');
    sandbox = execa(
      process.execPath,
      [path.join(ROOT, 'dist/test/sandbox/web/main.js'), '--dir', ws, '--monitor-sec', '1'],
      // Its own process group, as a terminal runs it: Ctrl-C there signals the whole group.
      { cwd: tmp, reject: false, buffer: false, detached: true },
    );
    sandbox.stdout?.setEncoding('utf8');
    sandbox.stderr?.setEncoding('utf8');
    sandbox.stdout?.on('data', (c: string) => {
      output += c;
    });
    sandbox.stderr?.on('data', (c: string) => {
      output += c;
    });
    const started = Date.now();
    while (!/Open (http:\/\/127\.0\.0\.1:\d+\/sandbox\/)/.test(output)) {
      if (sandbox.exitCode !== null || Date.now() - started > 90_000) throw new Error(`no URL printed:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /Open (http:\/\/127\.0\.0\.1:\d+\/sandbox\/)/.exec(output)?.[1] as string;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(url);
    await page.getByTestId('bot-status').filter({ hasText: 'bot connected' }).waitFor({ timeout: 30_000 });
  }, 150_000);

  // A failed step leaves what the page showed and what the sandbox printed next to the screenshots.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await shot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    writeFileSync(path.join(ARTIFACTS, 'sandbox-output.log'), output);
    await browser?.close();
    if (sandbox?.pid && sandbox.exitCode === null) process.kill(-sandbox.pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('/ytm doctor shows the report rendered from its blocks', async () => {
    await typeCommand('/ytm doctor');
    await message(ops(), '/ytm doctor').waitFor();
    const report = message(ops(), 'Storage has critical problems');
    await report.waitFor({ timeout: 60_000 });
    // Rendered, not raw: the header is a heading, emoji and markup are converted, the button is a button.
    await expect(report.locator('.bk-header').first().textContent()).resolves.toMatch(/critical/);
    const shown = (await report.textContent()) ?? '';
    expect(shown).toMatch(/🔴 HOT_RUN_SYMLINK_BROKEN/);
    expect(shown).not.toMatch(/:large_yellow_circle:|&lt;|&gt;|<!date\^|\*HOT_/);
    await report.locator('b', { hasText: 'HOT_RUN_SYMLINK_BROKEN' }).waitFor();
    await report.getByRole('button', { name: 'Run doctor again' }).waitFor();
    await shot('1-doctor');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('a store plan approved with its button ends "copied and verified", with the same bytes on the share', async () => {
    await typeCommand('/ytm store --episode CH01-003');
    const card = message(ops(), 'CH01-003').filter({ has: page.getByRole('button', { name: /^Approve/ }) });
    await card.waitFor({ timeout: 60_000 });
    await card.getByRole('button', { name: /^Approve/ }).click();
    const confirm = page.getByTestId('confirm');
    if (await confirm.isVisible()) await confirm.locator('#confirm-ok').click();
    const done = message(ops(), 'copied and verified');
    await done.waitFor({ timeout: 90_000 });
    expect(await done.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await shot('2-store-approved');
    const source = path.join(ws, 'factory_commentary', 'workspaces', 'audio', 'final', 'CH01', '003');
    const dest = path.join(ws, 'share', 'uploads', 'factory_commentary', 'audio_final', 'CH01', '003');
    const copied = readdirSync(dest).filter((f) => !f.startsWith('.'));
    expect(copied.length).toBeGreaterThan(0);
    for (const f of copied) expect(sha256(path.join(dest, f)), f).toBe(sha256(path.join(source, f)));
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('the share flipped down in the fault panel raises the alert; flipped up, the alert is resolved', async () => {
    await page.locator('#faults input[name="share"][value="stub"]').check();
    const down = message(alerts(), /Share down \(stub since/).first();
    await down.waitFor({ timeout: 60_000 });
    await shot('3-share-down');
    await page.locator('#faults input[name="share"][value="up"]').check();
    // The same message, edited in place: struck through, marked edited, and answered in its thread.
    await down.locator('del, s').filter({ hasText: 'Share down' }).waitFor({ timeout: 60_000 });
    await down.locator('.msg-edited').first().waitFor();
    await down
      .getByTestId('thread')
      .filter({ hasText: /resolved after/ })
      .waitFor({ timeout: 30_000 });
    expect(await message(alerts(), /Share down \(stub since/).count()).toBe(1);
    await shot('4-share-resolved');
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('a destructive plan asks first: "Cancel" in the dialog sends nothing, the card\'s Cancel ends the plan', async () => {
    await typeCommand('/ytm store --episode CH03-003 --symlink-back');
    const card = message(ops(), 'CH03-003').filter({ has: page.getByRole('button', { name: /^Approve/ }) });
    await card.waitFor({ timeout: 60_000 });
    const key = await card.getAttribute('data-key');
    await card.getByRole('button', { name: 'Approve (destructive)' }).click();
    const dialog = page.getByTestId('confirm');
    await dialog.waitFor();
    expect(await dialog.locator('#confirm-title').textContent()).toMatch(/^Apply /);
    await shot('5-confirm-dialog');
    await dialog.locator('#confirm-deny').click();
    await dialog.waitFor({ state: 'hidden' });
    // Nothing was sent: the card still offers both buttons and no file became a link.
    const audio = path.join(ws, 'factory_commentary', 'workspaces', 'audio', 'final', 'CH03', '003');
    expect(readdirSync(audio, { withFileTypes: true }).some((d) => d.isSymbolicLink())).toBe(false);
    await card.getByRole('button', { name: 'Cancel' }).click();
    await page
      .locator(`[data-key="${key}"]`)
      .filter({ hasText: /Cancelled by @you, not run/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.locator(`[data-key="${key}"]`).getByRole('button').count()).toBe(0);
    expect(readdirSync(audio, { withFileTypes: true }).some((d) => d.isSymbolicLink())).toBe(false);
  }, 120_000);

  it("App Home opens with the bot's Home tab rendered", async () => {
    await page.getByTestId('open-home').click();
    await page
      .getByTestId('home-view')
      .locator('h3.bk-header')
      .filter({ hasText: 'ytm-ops' })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('home-view').locator('.bk-unknown').count()).toBe(0);
    // Channels and the user by name, as the Slack client shows mentions.
    const home = (await page.getByTestId('home-view').textContent()) ?? '';
    expect(home).toContain('#ytm-ops');
    expect(home).not.toMatch(/#C0OPS|@U0ALLOWED/);
  }, 60_000);

  it("a store while the share is down fills the outbox; the outbox alert's button drains it once the share is up", async () => {
    await page.locator('#faults input[name="share"][value="stub"]').check();
    await typeCommand('/ytm store --episode CH01-004');
    const card = message(ops(), 'CH01-004').filter({ has: page.getByRole('button', { name: /^Approve/ }) });
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toMatch(/LOCAL OUTBOX/);
    const key = await card.getAttribute('data-key');
    await card.getByRole('button', { name: /^Approve/ }).click();
    // The same card, edited: no buttons left, the copies done into the outbox.
    const done = page.locator(`[data-key="${key}"]`).filter({ hasText: /Done/ });
    await done.waitFor({ timeout: 60_000 });
    expect(await done.getByRole('button').count()).toBe(0);
    const outbox = path.join(ws, 'outbox', 'uploads', 'factory_commentary', 'audio_final', 'CH01', '004');
    const queued = readdirSync(outbox);
    expect(queued.length).toBeGreaterThan(0);
    await shot('6-outbox-filled');
    await page.locator('#faults input[name="share"][value="up"]').check();
    const flush = page.getByRole('button', { name: 'Plan outbox flush' }).last();
    await flush.waitFor({ timeout: 60_000 });
    await flush.click();
    const plan = page
      .locator('[data-testid="message"]')
      .filter({ hasText: /outbox/i })
      .filter({ has: page.getByRole('button', { name: /^Approve/ }) })
      .last();
    await plan.waitFor({ timeout: 60_000 });
    const planKey = await plan.getAttribute('data-key');
    await plan.getByRole('button', { name: /^Approve/ }).click();
    const confirm = page.getByTestId('confirm');
    if (await confirm.isVisible()) await confirm.locator('#confirm-ok').click();
    await page.locator(`[data-key="${planKey}"]`).filter({ hasText: /Done/ }).waitFor({ timeout: 60_000 });
    // Every file the store queued is on the share with the source's bytes, and gone from the outbox.
    const dest = path.join(ws, 'share', 'uploads', 'factory_commentary', 'audio_final', 'CH01', '004');
    const source = path.join(ws, 'factory_commentary', 'workspaces', 'audio', 'final', 'CH01', '004');
    for (const f of queued) {
      expect(sha256(path.join(dest, f)), f).toBe(sha256(path.join(source, f)));
      expect(existsSync(path.join(outbox, f)), f).toBe(false);
    }
    await shot('7-outbox-drained');
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it.skipIf(noFuse !== null)(
    `Ctrl-C while the share hangs leaves no process and no mount (${noFuse ?? 'FUSE'})`,
    async () => {
      await page.locator('#faults input[name="share"][value="hung"]').check();
      await page.locator('#fault-describe').filter({ hasText: /hung/i }).waitFor({ timeout: 30_000 });
      const share = path.join(ws, 'share');
      expect((await mountTargets()).some((m) => m.startsWith(share))).toBe(true);
      const pids = await descendants(sandbox.pid as number);
      expect(pids.length).toBeGreaterThan(1);
      // What Ctrl-C in a terminal does: SIGINT to every process of the group (bot, job children, FUSE daemon).
      process.kill(-(sandbox.pid as number), 'SIGINT');
      const result = await sandbox;
      expect(result.exitCode, output).toBe(0);
      expect(output).toContain(`The demo workspace stays in ${ws}`);
      const started = Date.now();
      while ((await Promise.all(pids.map(isRunning))).some(Boolean) && Date.now() - started < 20_000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const running = (await Promise.all(pids.map(async (p) => ((await isRunning(p)) ? p : 0)))).filter(Boolean);
      expect(running).toEqual([]);
      expect((await mountTargets()).filter((m) => m.startsWith(tmp))).toEqual([]);
      expect(existsSync(path.join(share, 'uploads'))).toBe(true);
    },
    90_000,
  );
});
