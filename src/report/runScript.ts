/**
 * The run report's only script (inline, hashed into the page's CSP, and free of data: it reads everything from
 * the DOM). It:
 *
 * - sets the audio players' `src` and download links from `data-src` / `data-href`. Relative URLs get the page's
 *   own query string appended when it has one: opened through a Blob Storage SAS link
 *   (`…/report.html?sv=…&sig=…`), the WAVs next to the report are requested with the same token. That works when
 *   the SAS covers the run folder (a container SAS, or a directory SAS on a hierarchical-namespace account); a
 *   blob SAS for report.html alone does not authorize its siblings, and the player then shows a note saying so.
 *   Renderers can avoid the problem by passing absolute, individually signed URLs as `audioHref`;
 * - draws a playback cursor on the turn's timeline (and the baseline's) and seeks when the audio lane is clicked;
 * - "▶ play from 1 s before the gap" seeks the turn's answer player to the button's `data-seek-ms` and plays;
 * - copies the support case summary;
 * - filters the event table by type and text, and expands a payload on click.
 */
export const RUN_SCRIPT =
  `(() => {
'use strict';
const q = location.search;
const withQuery = (u) => (q && q.length > 1 ? u + (u.includes('?') ? '&' : '?') + q.slice(1) : u);
for (const el of document.querySelectorAll('[data-src],[data-href]')) {
  const raw = el.getAttribute('data-src') || el.getAttribute('data-href');
  const url = el.hasAttribute('data-rel') ? withQuery(raw) : raw;
  if (el.hasAttribute('data-src')) {
    el.addEventListener('error', () => {
      const note = el.parentElement && el.parentElement.querySelector('.audio-error');
      if (note) note.hidden = false;
    });
    el.src = url;
  } else {
    el.href = url;
  }
}
for (const [player, lane] of [['audio-turn', 'timeline'], ['audio-baseline', 'baseline-timeline']]) for (const ` +
  `audio of document.querySelectorAll('audio[data-testid="' + player + '"]')) {
  const svg = document.querySelector('svg[data-testid="' + lane + '"][data-turn="' + audio.dataset.turn + '"]');
  if (!svg) continue;
  const scale = Number(svg.dataset.pxPerMs), x0 = Number(svg.dataset.originX), laneBottom = Number(svg.dataset.audioLaneBottom);
  const cursor = svg.querySelector('[data-testid="cursor"]');
  let frame = 0;
  const draw = () => {
    const x = String(x0 + audio.currentTime * 1000 * scale);
    cursor.setAttribute('x1', x);
    cursor.setAttribute('x2', x);
    cursor.setAttribute('visibility', 'visible');
    if (!audio.paused) frame = requestAnimationFrame(draw);
  };
  audio.addEventListener('play', () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(draw); });
  audio.addEventListener('pause', draw);
  audio.addEventListener('seeked', draw);
  svg.addEventListener('click', (ev) => {
    const box = svg.getBoundingClientRect();
    const sx = box.width ? svg.viewBox.baseVal.width / box.width : 1;
    const px = (ev.clientX - box.left) * sx, py = (ev.clientY - box.top) * sx;
    if (py > laneBottom || px < x0) return;
    const t = (px - x0) / scale / 1000;
    audio.currentTime = Number.isFinite(audio.duration) ? Math.min(t, audio.duration) : t;
    audio.play().catch(() => undefined);
  });
}
for (const button of document.querySelectorAll('button[data-testid="play-gap"]')) {
  button.addEventListener('click', () => {
    const audio = document.querySelector('audio[data-testid="audio-turn"][data-turn="' + button.dataset.turn + '"]');
    if (!audio) return;
    audio.currentTime = Number(button.dataset.seekMs) / 1000;
    audio.play().catch(() => undefined);
  });
}
const copy = document.querySelector('[data-testid="copy-support"]');
if (copy) {
  copy.addEventListener('click', () => {
    const text = document.querySelector('[data-testid="support-summary"]');
    const status = document.querySelector('[data-testid="copy-status"]');
    const done = (ok) => { status.textContent = ok ? 'Copied to the clipboard.' : 'Select the text and press Ctrl+C.'; };
    const fallback = () => {
      text.focus();
      text.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text.value).then(() => done(true), fallback);
    else fallback();
  });
}
const table = document.querySelector('[data-testid="event-table"]');
if (table) {
  const select = table.querySelector('[data-testid="event-filter"]');
  const search = table.querySelector('[data-testid="event-search"]');
  const count = table.querySelector('[data-testid="event-count"]');
  const rows = Array.from(table.querySelectorAll('tbody tr'));
  let timer = 0;
  const apply = () => {
    const type = select.value, text = search.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const show = (!type || row.dataset.type === type) && (!text || row.textContent.toLowerCase().includes(text));
      row.hidden = !show;
      if (show) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' shown';
  };
  select.addEventListener('change', apply);
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
  table.querySelector('tbody').addEventListener('click', (ev) => {
    const row = ev.target.closest('tr');
    if (row && ev.target.closest('code')) row.classList.toggle('open');
  });
  if (location.hash === '#events') table.open = true;
}
})();`;
