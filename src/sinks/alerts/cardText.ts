/**
 * Text for Adaptive Card TextBlocks and FactSet values, which Teams reads as markdown: anything we show — above
 * all what the service sent (error messages quoted in headlines, ids) — is made to display as the plain text it
 * is. A `[x](http://…)` never becomes a link, `**x**` never emphasis, `<at>x</at>` never a mention, a bare URL is
 * not auto-linked, and a line starting with `-`, `#`, `>` or `1.` is not a list, heading or quote. Backslash
 * escapes (CommonMark) keep every character visible; a zero-width space after `://` defeats auto-linking.
 * No HTML entities: the card is JSON, and Teams would show `&lt;` literally.
 */

/** `text` escaped so that Teams' markdown renders it verbatim. */
export function cardPlain(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/[*[\]<>~]/g, '\\$&')
    .replace(/_/g, (m, i: number, s: string) =>
      /[A-Za-z0-9]/.test(s[i - 1] ?? '') && /[A-Za-z0-9]/.test(s[i + 1] ?? '') ? m : '\\_',
    )
    .replace(/^(\s*)([-+]|#+|\d+[.)])(?=\s|$)/gm, (_m, space: string, marker: string) =>
      /\d/.test(marker) ? `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}` : `${space}\\${marker}`,
    )
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u200b.`);
}
