/**
 * The shell both report pages share: a complete, self-contained HTML document with its CSS and script inline
 * and a Content-Security-Policy that forbids every network fetch except the page's own audio, and every script
 * except the page's own (by hash). A stray `<script>` or `onerror=` that slipped past escaping would not run,
 * and an `<img>` would not load.
 */
import { createHash } from 'node:crypto';
import { escapeAttr, escapeText } from './escape.js';

export interface PageParts {
  title: string;
  /** Inline CSS (trusted, written by us). */
  css: string;
  /** The body markup, already escaped. */
  body: string;
  /** Inline JS (trusted, contains no data); hashed into the CSP. */
  script: string;
}

/** Colours and type shared by the pages; light by default, dark when the system prefers it. */
export const THEME_CSS =
  `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d7dce2;--panel:#f5f7f9;--accent:#0b62c4;
--pass:#1f883d;--fail:#cf222e;--error:#9a6700;--none:#c9ced6;--gap:rgba(207,34,46,.16);--under:rgba(154,103,0,.22);--wave:#4a6fa5;--mark:#ffe08a}
@media (prefers-color-scheme:dark){:root{--bg:#0f1318;--fg:#e6e9ee;--muted:#9aa4b1;--line:#2c333c;--panel:#171c23;--accent:#58a6ff;
--pass:#3fb950;--fail:#f85149;--error:#d29922;--none:#39414b;--gap:rgba(248,81,73,.22);--under:rgba(210,153,34,.28);--wave:#7ea6e0;--mark:#6b5a10}}
*{box-sizing:border-box}html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:1280px;padding:16px 20px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
a{color:var(--accent)}code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;color:#fff;font-size:12px;text-transform:uppercase}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-error{background:var(--error)}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted)}button,select,input{font:inherit;color:inherit;background:var(--panel);` +
  `border:1px solid var(--line);border-radius:6px;padding:3px 8px}
button{cursor:pointer}
`;

/** The Content-Security-Policy of a page whose only script is `script`. */
export function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    // The audio players load the WAVs next to the report (same origin, a local folder, or an absolute SAS URL).
    "media-src 'self' file: https:",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A complete HTML document. */
export function htmlPage(p: PageParts): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.script))}">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeText(p.title)}</title><style>${THEME_CSS}${p.css}</style></head>
<body>
${p.body}
<script>${p.script}</script>
</body></html>
`;
}
