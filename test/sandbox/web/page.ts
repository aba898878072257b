// The browser sandbox's page: two channels side by side (commands, alerts), App Home and the fault panel. The
// script (client/main.ts) fills them from the server-sent state; Block Kit styling is in blockkit-css.ts.

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ytm-ops sandbox</title>
<link rel="icon" href="/sandbox/favicon.ico">
<link rel="stylesheet" href="/sandbox/style.css">
</head>
<body>
<header class="top">
  <strong>ytm-ops sandbox</strong>
  <span id="bot-status" class="status status--down" data-testid="bot-status">connecting…</span>
  <span class="hint">The real bot, a local Slack emulator and a demo workspace on 127.0.0.1: nothing leaves this machine.</span>
</header>
<main class="layout">
  <section class="channel" data-role="ops">
    <h2 class="channel-name"></h2>
    <p class="channel-purpose"></p>
    <div class="messages" data-testid="messages-ops" aria-live="polite"></div>
    <form class="composer" id="composer" autocomplete="off">
      <input id="composer-input" data-testid="composer" placeholder="/ytm doctor" aria-label="Message (a /ytm command)">
      <button type="submit">Send</button>
    </form>
    <p class="composer-error" id="composer-error" role="alert"></p>
  </section>
  <section class="channel" data-role="alerts">
    <h2 class="channel-name"></h2>
    <p class="channel-purpose"></p>
    <div class="messages" data-testid="messages-alerts" aria-live="polite"></div>
  </section>
  <aside class="side">
    <section class="panel" id="faults" data-testid="faults">
      <h2>Fault panel</h2>
      <p class="panel-note">Flip the demo share and disk, then watch the alert channel (the monitor checks every few seconds).</p>
      <fieldset><legend>Vault share</legend>
        <label><input type="radio" name="share" value="up"> up</label>
        <label><input type="radio" name="share" value="stub"> stub (local folder)</label>
        <label><input type="radio" name="share" value="unmounted"> unmounted</label>
        <label><input type="radio" name="share" value="hung"> hung</label>
      </fieldset>
      <fieldset><legend>Free disk</legend>
        <label><input type="radio" name="disk" value="normal"> enough</label>
        <label><input type="radio" name="disk" value="warn"> below warning</label>
        <label><input type="radio" name="disk" value="stop"> below stop</label>
      </fieldset>
      <fieldset><legend>CapCut draft link</legend>
        <label><input type="radio" name="draft" value="ok"> intact</label>
        <label><input type="radio" name="draft" value="broken"> broken</label>
      </fieldset>
      <ul class="fault-describe" id="fault-describe"></ul>
      <p class="composer-error" id="fault-error" role="alert"></p>
    </section>
    <section class="panel" id="home">
      <h2>App Home <button type="button" id="open-home" data-testid="open-home">Open</button></h2>
      <div class="home-view" data-testid="home-view"></div>
    </section>
  </aside>
</main>
<dialog id="confirm" data-testid="confirm">
  <form method="dialog">
    <h3 id="confirm-title"></h3>
    <p id="confirm-text"></p>
    <menu>
      <button value="cancel" id="confirm-deny">Cancel</button>
      <button value="ok" id="confirm-ok" class="bk-button bk-button--primary">OK</button>
    </menu>
  </form>
</dialog>
<script type="module" src="/sandbox/js/client/main.js"></script>
</body>
</html>
`;

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.46 -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK JP", sans-serif;
  color: #1d1c1d; background: #f8f8f8; }
.top { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #3f0e40; color: #fff; }
.top .hint { opacity: .75; font-size: 13px; }
.status { font-size: 13px; padding: 2px 8px; border-radius: 10px; }
.status--up { background: #2bac76; }
.status--down { background: #e01e5a; }
.layout { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr) 300px; gap: 1px;
  height: calc(100vh - 40px); background: #ddd; }
.channel { display: flex; flex-direction: column; min-height: 0; background: #fff; }
.channel-name { margin: 0; padding: 10px 16px 0; font-size: 18px; }
.channel-purpose { margin: 0; padding: 0 16px 8px; color: #616061; font-size: 13px; border-bottom: 1px solid #ddd; }
.messages { flex: 1; overflow-y: auto; padding: 8px 0; }
.msg { padding: 6px 16px; }
.msg:hover { background: #f8f8f8; }
.msg-head { display: flex; gap: 8px; align-items: baseline; font-size: 13px; color: #616061; }
.msg-author { font-weight: 700; color: #1d1c1d; font-size: 15px; }
.msg-app { background: #e8e8e8; border-radius: 3px; padding: 0 4px; font-size: 10px; font-weight: 700; }
.msg-edited, .msg-ephemeral-note { font-size: 12px; color: #616061; }
.msg--ephemeral { background: #f4f9ff; border-left: 3px solid #1264a3; }
.msg--command .msg-body { font-family: ui-monospace, Menlo, monospace; }
.thread { margin: 4px 0 0 24px; padding-left: 10px; border-left: 2px solid #ddd; }
.thread .msg { padding: 4px 0; }
.composer { display: flex; gap: 8px; padding: 10px 16px 4px; border-top: 1px solid #ddd; }
.composer input { flex: 1; padding: 8px 10px; font: inherit; border: 1px solid #bbb; border-radius: 6px; }
.composer button { padding: 0 14px; }
.composer-error { margin: 0; padding: 0 16px 8px; color: #e01e5a; font-size: 13px; min-height: 1em; }
.side { background: #fff; overflow-y: auto; }
.panel { padding: 10px 16px; border-bottom: 1px solid #ddd; }
.panel h2 { font-size: 16px; margin: 0 0 6px; display: flex; justify-content: space-between; }
.panel-note { font-size: 13px; color: #616061; margin: 0 0 6px; }
fieldset { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 8px; font-size: 14px; }
fieldset label { display: block; }
label.unavailable { color: #999; }
.fault-describe { font-size: 13px; padding-left: 18px; margin: 4px 0; }
.home-view { font-size: 14px; }
dialog { border: none; border-radius: 8px; box-shadow: 0 8px 30px rgba(0,0,0,.3); max-width: 480px; }
dialog menu { display: flex; justify-content: flex-end; gap: 8px; padding: 0; }
`;
