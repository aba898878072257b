// Styles for the `bk-` classes blockkit.ts emits, after the Slack client's light theme: green primary and red
// danger buttons, bordered default ones, a two-column fields grid, small grey context lines, monospace code and
// pre boxes, the grey quote bar and highlighted mentions. The page inlines it in a <style> element.
export const BLOCKKIT_CSS = `
.bk-block { margin: 4px 0; color: #1d1c1d; font: 15px/1.47 -apple-system, BlinkMacSystemFont, "Segoe UI", Lato, sans-serif; overflow-wrap: anywhere; }
.bk-block b { font-weight: 700; }
div.bk-header { margin: 8px 0 4px; }
h3.bk-header { margin: 0; font-size: 18px; font-weight: 900; line-height: 1.33; }
.bk-section { display: flex; gap: 12px; align-items: flex-start; }
.bk-section-main { flex: 1 1 auto; min-width: 0; }
.bk-accessory { flex: 0 0 auto; }
.bk-fields { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 16px; margin-top: 4px; }
.bk-section-text + .bk-fields { margin-top: 8px; }
.bk-field { min-width: 0; }
.bk-context { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; color: #616061; font-size: 12px; line-height: 1.5; }
.bk-context-item { min-width: 0; }
.bk-context .bk-code { font-size: 11px; }
.bk-context-image { width: 16px; height: 16px; border-radius: 3px; object-fit: cover; }
.bk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.bk-button { height: 28px; padding: 0 12px; border: 1px solid rgba(29, 28, 29, 0.3); border-radius: 4px; background: #fff; color: #1d1c1d; font: 700 13px/26px -apple-system, BlinkMacSystemFont, "Segoe UI", Lato, sans-serif; cursor: pointer; white-space: nowrap; }
.bk-button:hover { background: #f8f8f8; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }
.bk-button:disabled { opacity: 0.5; cursor: default; }
.bk-button--primary { border-color: #007a5a; background: #007a5a; color: #fff; }
.bk-button--primary:hover { background: #148567; }
.bk-button--danger { border-color: #e01e5a; background: #e01e5a; color: #fff; }
.bk-button--danger:hover { background: #e23067; }
hr.bk-divider { margin: 12px 0; border: 0; border-top: 1px solid #dddddd; }
.bk-code { padding: 2px 3px 1px; border: 1px solid rgba(29, 28, 29, 0.13); border-radius: 3px; background: rgba(29, 28, 29, 0.04); color: #e01e5a; font: 12px/1.5 Monaco, Menlo, Consolas, "Courier New", monospace; }
.bk-pre { margin: 4px 0; padding: 8px; border: 1px solid rgba(29, 28, 29, 0.13); border-radius: 4px; background: rgba(29, 28, 29, 0.04); font: 12px/1.5 Monaco, Menlo, Consolas, "Courier New", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.bk-quote { margin: 4px 0; padding: 0 0 0 12px; border-left: 4px solid #dddddd; }
.bk-mention { padding: 0 2px 1px; border-radius: 3px; background: rgba(29, 155, 209, 0.1); color: #1264a3; }
.bk-link { color: #1264a3; text-decoration: none; }
.bk-link:hover { text-decoration: underline; }
.bk-date { border-bottom: 1px dotted #868686; }
.bk-link-text { color: #616061; }
.bk-emoji { font-family: "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif; }
.bk-figure { margin: 4px 0; }
.bk-figure figcaption { color: #616061; font-size: 13px; }
img.bk-image { max-width: 360px; max-height: 360px; border-radius: 8px; }
.bk-image-element { width: 88px; height: 88px; border-radius: 4px; object-fit: cover; }
.bk-rich_text { margin: 4px 0; }
.bk-rich-section { margin: 2px 0; }
.bk-list { margin: 4px 0; padding-left: 24px; }
.bk-fallback { white-space: normal; }
.bk-unknown { margin: 4px 0; padding: 6px 8px; border: 1px dashed #e01e5a; border-radius: 4px; background: #fdf0f4; color: #a01040; font: 12px/1.5 Monaco, Menlo, Consolas, monospace; }
`;
