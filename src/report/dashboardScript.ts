/**
 * The dashboard's only script (inline, hashed into the CSP; it holds no data — it reads the JSON payload in
 * `script#fleet-data` and the cells' data attributes). It judges staleness against the browser's own clock, on load
 * and every 30 s: a matrix cell or status item whose time (`data-at`) is more than two of its region's intervals
 * (`data-interval-ms`) old is STALE — its own look and word, neither failing nor passing — and listed under "Stale"
 * (the rule of ./fleetStatus.ts `isStale`); a mute whose end has passed no longer hides a cell's group. It shows a
 * tooltip with a strip or heat-map cell's numbers on hover, opens the cell's run report on click, and — when the
 * page was opened with a query string (a Blob Storage SAS link) — appends that query to the relative report links,
 * as the run report does for its audio (see ./runScript.ts for when a SAS covers them).
 */
export const DASHBOARD_SCRIPT =
  `(() => {
'use strict';
const data = JSON.parse(document.getElementById('fleet-data').textContent);
const q = location.search;
const withQuery = (u) => (q && q.length > 1 ? u + (u.includes('?') ? '&' : '?') + q.slice(1) : u);
if (q && q.length > 1) for (const a of document.querySelectorAll('a[data-rel]')) a.setAttribute('href', withQuery(a.getAttribute('href')));
const isStale = (el, now) => now - Number(el.dataset.at) > 2 * Number(el.dataset.intervalMs);
const since = (ms) => { const m = Math.max(0, Math.round(ms / 60000)); return m < 120 ? m + ' min' : Math.round(m / 60) + ' h'; };
const groups = new Map([...document.querySelectorAll('[data-group]')].map((g) => [g.dataset.group, g]));
const judge = () => {
  const now = Date.now();
  for (const a of document.querySelectorAll('a[data-testid="matrix-cell"]')) {
    const stale = isStale(a, now);
    a.classList.toggle('stale', stale);
    a.textContent = stale ? 'stale' : a.dataset.word;
  }
  for (const li of document.querySelectorAll('li[data-testid="status-item"]')) {
    const muted = li.dataset.mutedUntil !== undefined && now < Number(li.dataset.mutedUntil);
    const home = li.dataset.home === 'muted' && !muted ? li.dataset.kind : li.dataset.home;
    const g = groups.get(isStale(li, now) ? 'stale' : home);
    const note = li.querySelector('.stale-note');
    if (note) note.textContent = ' — no run for ' + since(now - Number(li.dataset.at)) + '; a run every ' + li.dataset.every;
    const ul = g && g.querySelector('ul');
    if (ul && li.parentElement !== ul) ul.appendChild(li);
  }
  for (const el of document.querySelectorAll('span.ago[data-t]')) el.textContent = '(' + since(now - Number(el.dataset.t)) + ' ago)';
  let needs = false;
  for (const [name, g] of groups) {
    if (name === 'pass') continue;
    const n = g.querySelectorAll('li').length;
    g.hidden = n === 0;
    const count = g.querySelector('.count');
    if (count) count.textContent = String(n);
    if (n && name !== 'muted') needs = true;
  }
  const clear = document.querySelector('[data-testid="all-clear"]');
  if (clear) clear.hidden = needs || !document.querySelector('li[data-testid="status-item"]');
};
judge();
setInterval(judge, 30000);
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
const heatAt = (svg, ev) => {
  const row = Number(svg.dataset.row), size = Number(svg.dataset.cell), start = Number(svg.dataset.startHour);
  const box = svg.getBoundingClientRect();
  const col = Math.floor((ev.clientX - box.left) / size), line = Math.floor((ev.clientY - box.top) / size);
  const slot = line * 24 + col - start;
  const key = 'week' + row;
  let cells = index.get(key);
  if (!cells) {
    cells = new Map();
    for (const c of data.rows[row].week) cells.set(c[0], c);
    index.set(key, cells);
  }
  return { row: data.rows[row], kind: 'week', slot, cell: slot >= 0 && slot < 168 ? cells.get(slot) : undefined, ` +
  `inside: slot >= 0 && slot < 168 && col >= 0 && col < 24 };
};
const describeHeat = (hit) => {
  const w = data.week, from = w.start + hit.slot * w.slotMs;
  const head = hit.row.target + ' @ ' + hit.row.region + ' · ' + day(from) + ' ' + hm(from) + '–' + hm(from + w.slotMs) + ' UTC';
  const c = hit.cell;
  if (!c) return head + '\\nno run';
  const rate = c[8] ? Math.round((c[9] / c[8]) * 100) : 0;
  const lines = [head, c[1] + ' run(s) · failing turns ' + c[9] + ' of ' + c[8] + ' (' + rate + ' %)', 'worst gap ` +
  `' + msText(c[6]) + ' · first audio ' + msText(c[5])];
  const run = runOf(c);
  if (run.headline) lines.push(run.headline);
  lines.push((c[2] + c[3] ? 'click: worst run ' : 'click: run ') + run.runId);
  return lines.join('\\n');
};
const showTip = (text, ev) => {
  tip.textContent = text;
  tip.hidden = false;
  tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
  tip.style.top = (ev.clientY + 16) + 'px';
};
for (const svg of document.querySelectorAll('svg[data-testid="heat"]')) {
  svg.addEventListener('mousemove', (ev) => {
    const hit = heatAt(svg, ev);
    if (!hit.inside) { tip.hidden = true; return; }
    showTip(describeHeat(hit), ev);
  });
  svg.addEventListener('mouseleave', () => { tip.hidden = true; });
  svg.addEventListener('click', (ev) => {
    const hit = heatAt(svg, ev);
    if (!hit.cell) return;
    const href = runOf(hit.cell).href;
    if (href) location.href = withQuery(href);
  });
}
for (const svg of document.querySelectorAll('svg[data-testid="strip"]')) {
  svg.addEventListener('mousemove', (ev) => {
    showTip(describe(cellAt(svg, ev)), ev);
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
