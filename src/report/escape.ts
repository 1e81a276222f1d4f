/**
 * Escaping for the HTML the report pages are built from. Everything that comes from the service (transcripts,
 * error messages, headers, event JSON) or from configuration goes through one of these before it reaches
 * markup; the pages' inline scripts contain no data at all, so nothing from outside ever becomes code.
 */

const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR: Record<string, string> = { ...TEXT, '"': '&quot;', "'": '&#39;' };

/** Text for an element's content (also safe inside `<textarea>` and `<title>`): `&`, `<`, `>` escaped. */
export function escapeText(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>]/g, (c) => TEXT[c]!);
}

/** Text for a quoted attribute value: `&`, `<`, `>`, `"` and `'` escaped. */
export function escapeAttr(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ATTR[c]!);
}

/**
 * JSON for a `<script type="application/json">` data block: `<`, `>`, `&` and the line separators U+2028/U+2029
 * are written as `\uXXXX` escapes, so the text can never close the element or open a comment, and
 * `JSON.parse(el.textContent)` gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Encodes each `/`-separated segment of a relative path for use in a URL (`a b/c#d.wav` → `a%20b/c%23d.wav`). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}
