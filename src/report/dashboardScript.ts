/**
 * The dashboard's only script (inline, hashed into the CSP; it holds no data — it reads the JSON payload in
 * `script#fleet-data`). It shows a tooltip with a strip cell's numbers on hover, opens the cell's run report on
 * click, and — when the page was opened with a query string (a Blob Storage SAS link) — appends that query to
 * the relative report links, as the run report does for its audio (see ./runScript.ts for when a SAS covers them).
 */
export const DASHBOARD_SCRIPT = `(() => {
'use strict';
const data = JSON.parse(document.getElementById('fleet-data').textContent);
const q = location.search;
const withQuery = (u) => (q && q.length > 1 ? u + (u.includes('?') ? '&' : '?') + q.slice(1) : u);
if (q && q.length > 1) for (const a of document.querySelectorAll('a[data-rel]')) a.setAttribute('href', withQuery(a.getAttribute('href')));
const tip = document.querySelector('[data-testid="tooltip"]');
const index = new Map();
const cellAt = (svg, ev) => {
  const row = Number(svg.dataset.row), kind = svg.dataset.kind, pitch = Number(svg.dataset.pitch);
  const key = kind + row;
  let cells = index.get(key);
  if (!cells) {
    cells = new Map();
    for (const c of data.rows[row][kind]) cells.set(c[0], c);
    index.set(key, cells);
  }
  const box = svg.getBoundingClientRect();
  const slot = Math.floor((ev.clientX - box.left) / pitch);
  return { row: data.rows[row], kind, slot, cell: cells.get(slot) };
};
const runOf = (c) => {
  const r = data.runs[c[4]], s = data.strings;
  return { href: r[0].map((i) => s[i]).join('/'), runId: s[r[1]], startedAt: data.week.start + r[2] * 1000, headline: r[3] < 0 ? '' : s[r[3]] };
};
const two = (n) => String(n).padStart(2, '0');
const hm = (t) => { const d = new Date(t); return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()); };
const day = (t) => new Date(t).toISOString().slice(5, 10);
const msText = (v) => (v === null || v === undefined ? '—' : v < 999.5 ? Math.round(v) + ' ms' : (v / 1000).toFixed(1) + ' s');
const describe = (hit) => {
  const w = data[hit.kind], from = w.start + hit.slot * w.slotMs, to = from + w.slotMs;
  const when = (hit.kind === 'week' ? day(from) + ' ' : '') + hm(from) + '–' + hm(to) + ' UTC';
  const head = hit.row.target + ' @ ' + hit.row.region + ' · ' + when;
  const c = hit.cell;
  if (!c) return head + '\\nno run';
  const run = runOf(c);
  const failing = c[2] + c[3];
  const lines = [head,
    c[1] + ' run(s): ' + (failing ? c[2] + ' fail, ' + c[3] + ' error' : 'all pass'),
    'first audio ' + msText(c[5]) + ' · longest gap ' + msText(c[6]) + ' · coverage ' + (c[7] === null ? '—' : Math.round(c[7] * 100) + ' %')];
  if (run.headline) lines.push(run.headline);
  lines.push((failing ? 'click: worst run ' : 'click: run ') + run.runId + ' (' + hm(run.startedAt) + ' UTC)');
  return lines.join('\\n');
};
for (const svg of document.querySelectorAll('svg[data-testid="strip"]')) {
  svg.addEventListener('mousemove', (ev) => {
    tip.textContent = describe(cellAt(svg, ev));
    tip.hidden = false;
    const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = x + 'px';
    tip.style.top = (ev.clientY + 16) + 'px';
  });
  svg.addEventListener('mouseleave', () => { tip.hidden = true; });
  svg.addEventListener('click', (ev) => {
    const hit = cellAt(svg, ev);
    if (!hit.cell) return;
    const href = runOf(hit.cell).href;
    if (href) location.href = withQuery(href);
  });
}
})();`;
