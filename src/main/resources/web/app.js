// Rekap public page: one region x contest at a time, refreshed in place. No framework, no build step.
// Permalinks: #/wilayah/<region code>/<contest id> and #/tps/<code>/<contest>. URLs are relative so a static copy works.
import { t, lang, locale, setLang, applyStatic } from './i18n.js';
import { verifyEntry, fetchEntry } from './verify.js';

const COLORS = ['#0b5cad', '#c0392b', '#2e7d32', '#8e44ad', '#d35400', '#16a085', '#6d6d6d', '#8a6d00'];
let fmt = new Intl.NumberFormat(locale());
const pct = (n, d) => d > 0 ? (100 * n / d).toLocaleString(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }) + '%' : '-';
const $ = id => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; };
const setText = (e, s) => { if (e.textContent !== s) e.textContent = s; };
const enc = encodeURIComponent;
let election = null;
let current = { code: '0', contest: null };
let sort = { key: null, dir: 1 };
let lastTps = null;
const etags = new Map();

async function getJson(url) {
  const headers = etags.has(url) ? { 'If-None-Match': etags.get(url).etag } : {};
  const r = await fetch(url, { headers });
  if (r.status === 304) return etags.get(url).body;
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const body = await r.json();
  const etag = r.headers.get('ETag');
  if (etag) etags.set(url, { etag, body, date: r.headers.get('Date') });
  return body;
}

function route() {
  const m = location.hash.match(/^#\/(wilayah|tps)\/([^/]+)(?:\/([^/]+))?/);
  current = {
    tps: m && m[1] === 'tps',
    code: m ? decodeURIComponent(m[2]) : election.root.code,
    contest: m && m[3] ? decodeURIComponent(m[3]) : null,
  };
}

const link = (code, contest) => `#/wilayah/${enc(code)}/${enc(contest)}`;
const tpsLink = (code, contest) => `#/tps/${enc(code)}/${enc(contest)}`;

/** Replaces an element's children only when what they show changed, so a refresh never moves the page. */
function replaceIfChanged(parent, key, make) {
  if (parent.dataset.key === key) return;
  parent.replaceChildren(...make());
  parent.dataset.key = key;
}

function crumbs(path, last) {
  const key = JSON.stringify([path.map(r => r.code), last, current.contest]);
  replaceIfChanged($('crumbs'), key, () => [...path.map(r => {
    const li = el('li'); const a = el('a', r.name); a.href = link(r.code, current.contest); li.append(a); return li;
  }), (() => { const li = el('li', last); li.setAttribute('aria-current', 'page'); return li; })()]);
}

// A static export (rekap export, docs/export.md) marks its index.html: it has CSV download files for the upper levels
// only, and a TPS page file only where the page cannot build it (a held or reviewed sheet).
const exported = document.querySelector('meta[name="rekap-export"]');
const downloadDepth = exported ? Number(exported.dataset.downloadDepth) : Infinity;

/** Download links for the region at the end of `chain` (root first), or its ancestor that has download files. */
function downloads(chain) {
  const region = chain[Math.min(chain.length - 1, downloadDepth)];
  const dl = `api/v1/download/${enc(region.code)}/${enc(current.contest)}`;
  $('csv-download').href = `${dl}.csv`;
  $('json-download').href = `${dl}.json`;
  $('json-download-item').hidden = !!exported; // an export carries CSV downloads only
}

const FIELDS = [
  ['fDpt', s => s.registered.dpt], ['fDptb', s => s.registered.dptb], ['fDpk', s => s.registered.dpk],
  ['fReg', s => s.registered.total], ['fVDpt', s => s.voted.dpt], ['fVDptb', s => s.voted.dptb],
  ['fVDpk', s => s.voted.dpk], ['fVTot', s => s.voted.total],
];

const entries = new Map();

/** A log entry, parsed; entries never change, so a few are kept. */
function logEntry(seq) {
  if (!entries.has(seq)) {
    if (entries.size >= 32) entries.delete(entries.keys().next().value);
    entries.set(seq, fetchEntry(seq, election.logSize).then(b => JSON.parse(new TextDecoder().decode(b)))
      .catch(e => { entries.delete(seq); throw e; }));
  }
  return entries.get(seq);
}

/**
 * The TPS page's document and the URL it comes from. In a static export without a file for it, the document the
 * server would answer is built from the village's document (name, DPT, status, the current sheet's log position) and,
 * for a counted sheet, its log entry (the sheet, who sent it and when).
 */
export async function tpsDoc(code, contest) {
  const url = `api/v1/tps/${enc(code)}/${enc(contest)}.json`;
  if (!exported) return { url, doc: await getJson(url) };
  const villageUrl = `api/v1/regions/${enc(code.replace(/\.[0-9]+$/, ''))}/${enc(contest)}.json`;
  const village = await getJson(villageUrl);
  const child = village.children.find(c => c.code === code && c.level === 'tps');
  if (!child) throw new Error(`${url}: HTTP 404`);
  const tps = { code, name: child.name, dpt: child.dpt }, path = [...village.path, village.region];
  if (child.seq == null) return { url: villageUrl, doc: { contest, tps, path, status: 'none', versions: [] } };
  const e = child.status === 'counted' ? await logEntry(child.seq) : null;
  if (e?.type !== 'sheet') return { url, doc: await getJson(url) };
  return { url: villageUrl, doc: {
    election: village.election, contest: e.sheet.contest, tps, path, status: 'counted', corrected: false, seq: child.seq,
    sheet: e.sheet, violations: [], photos: e.sheet.photos.map(sha => ({ sha256: sha, url: `photos/${sha}` })),
    versions: [{ seq: child.seq, receivedAt: e.receivedAt, status: 'counted', kind: 'submitted', by: e.device,
      submissionId: e.submissionId }],
  } };
}

async function renderTps() {
  const { url, doc } = await tpsDoc(current.code, current.contest);
  const contest = election.contests.find(c => c.id === current.contest);
  $('tps-view').hidden = false;
  $('children-section').hidden = true;
  $('map-wrap').hidden = true;
  $('choices').replaceChildren(); $('choices').dataset.key = '';
  setText($('sums'), '');
  setText($('progress-text'), ''); $('progress-text').dataset.key = '';
  $('progress').hidden = true;
  const village = doc.path[doc.path.length - 1];
  setText($('region-name'), `${doc.tps.name} · ${village.name}`);
  setText($('tps-title'), contest.name);
  document.title = `${doc.tps.name} · ${village.name}: ${contest.name} · Rekap`;
  crumbs(doc.path, doc.tps.name);
  $('json-link').href = url;
  downloads(doc.path);
  if (lastTps !== `${current.code}/${current.contest}/${doc.seq}`) {
    lastTps = `${current.code}/${current.contest}/${doc.seq}`;
    $('verify-result').textContent = ''; $('verify-result').className = '';
  }
  $('verify').dataset.seq = doc.seq ?? '';
  $('verify').disabled = doc.seq == null;
  const status = { none: 'stNone', counted: 'stCounted', held: 'stHeld' };
  setText($('tps-status'), `${t(status[doc.status])} · ${t('dpt')} ${fmt.format(doc.tps.dpt)}`);
  $('tps-status').className = doc.status === 'held' ? 'held' : '';
  const flags = (doc.violations || []).map(v => `${v.rule}: ${v.detail}`);
  if (doc.corrected) flags.unshift(t('correctedNote'));
  replaceIfChanged($('tps-flags'), JSON.stringify(flags), () => flags.map(f => el('li', f)));
  const rows = [];
  if (doc.sheet) {
    const s = doc.sheet;
    for (const [label, get] of FIELDS) { const c = get(s); rows.push([t(label), `${fmt.format(c.l)} / ${fmt.format(c.p)} / ${fmt.format(c.total)}`]); }
    rows.push([t('fBallots'), [s.ballots.received, s.ballots.used, s.ballots.unused, s.ballots.damaged].map(fmt.format).join(' / ')]);
    s.votes.forEach((v, i) => rows.push([`${v.choice}. ${contest.choices[i].name}`, fmt.format(v.total), 'vote']));
    rows.push([t('valid'), fmt.format(s.valid), 'valid'], [t('invalid'), fmt.format(s.invalid)], [t('cast'), fmt.format(s.cast)]);
  } else rows.push([t('noSheet'), '']);
  replaceIfChanged($('tps-sheet').tBodies[0], JSON.stringify(rows), () => rows.map(([k, v, cls]) => {
    const tr = el('tr', null, cls); const th = el('th', k); th.scope = 'row'; tr.append(th, el('td', v)); return tr;
  }));
  const photos = doc.photos || [];
  replaceIfChanged($('tps-photos'), JSON.stringify(photos) + lang, () => photos.length ? photos.map(p => {
    const li = el('li'); const a = el('a'); a.href = p.link || `photos/${p.sha256}`;
    const img = el('img'); img.src = a.href; img.alt = `${t('photos')} ${p.sha256.slice(0, 12)}`; img.loading = 'lazy';
    a.append(img); li.append(a); return li;
  }) : [el('li', t('noPhotos'), 'meta')]);
  const kinds = { submitted: 'kSubmitted', correct: 'kCorrected', corrected: 'kCorrected', accept: 'kAccepted', accepted: 'kAccepted' };
  const versions = doc.versions.map(v => [`#${v.seq}`, new Date(v.receivedAt).toLocaleString(locale()),
    kinds[v.kind] ? t(kinds[v.kind]) : v.kind, v.by ? `${t('by')} ${v.by.slice(0, 8)}` : null,
    v.status === 'held' ? t('held') : t('counted'), v.reason ? `“${v.reason}”` : null].filter(Boolean).join(' · '));
  replaceIfChanged($('tps-versions'), JSON.stringify(versions), () => versions.map(v => el('li', v)));
}

/** Sort keys of the children table: name, progress, each choice, valid. */
function sortValue(c, key) {
  if (key === 'name') return c.name;
  if (key === 'progress') return c.level === 'tps' ? ({ counted: 2, held: 1 }[c.status] || 0) : c.progress.tpsCounted / Math.max(1, c.progress.tpsTotal);
  if (key === 'valid') return c.valid;
  return c.choices[Number(key.slice(1))];
}

function sorted(children) {
  if (!sort.key || (sort.key[0] === 'c' && Number(sort.key.slice(1)) >= (children[0]?.choices.length ?? 0))) return children;
  const coll = new Intl.Collator(locale(), { numeric: true });
  return [...children].sort((a, b) => {
    const x = sortValue(a, sort.key), y = sortValue(b, sort.key);
    const d = typeof x === 'string' ? coll.compare(x, y) : x - y;
    return sort.dir * d || a.code.localeCompare(b.code);
  });
}

function header(contest) {
  const cols = [['name', t('region')], ['progress', t('tpsIn')],
    ...contest.choices.map((c, i) => [`c${i}`, String(c.number), c.name]), ['valid', t('valid')]];
  const head = $('children').tHead;
  replaceIfChanged(head, JSON.stringify([cols, sort, lang]), () => {
    const tr = el('tr');
    for (const [key, label, title] of cols) {
      const th = el('th'); th.scope = 'col';
      th.setAttribute('aria-sort', sort.key === key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      const b = el('button', label); b.type = 'button'; b.dataset.sort = key;
      b.setAttribute('aria-label', t('sortBy', title || label));
      if (title) b.title = title;
      b.append(el('span', sort.key === key ? (sort.dir > 0 ? ' ▲' : ' ▼') : '', 'arrow'));
      th.append(b); tr.append(th);
    }
    return [tr];
  });
}

/** Updates the children table in place: rows are kept per code, only changed cells are written. */
function childRows(children) {
  const body = $('children').tBodies[0];
  const byCode = new Map([...body.rows].map(r => [r.dataset.code, r]));
  const rows = sorted(children).map(c => {
    let tr = byCode.get(c.code);
    const cells = 3 + c.choices.length;
    if (!tr || tr.cells.length !== cells || tr.dataset.contest !== current.contest) {
      tr = el('tr'); tr.dataset.code = c.code; tr.dataset.contest = current.contest;
      const td = el('td'); const a = el('a', c.name);
      a.href = c.level === 'tps' ? tpsLink(c.code, current.contest) : link(c.code, current.contest);
      td.append(a); tr.append(td);
      // Labels for the stacked layout of narrow screens (style.css), where the header row is not above each value.
      const numbers = election.contests.find(x => x.id === current.contest)?.choices.map(x => String(x.number)) ?? [];
      const labels = [t('tpsIn'), ...c.choices.map((_, i) => numbers[i] ?? String(i + 1)), t('valid')];
      for (let i = 1; i < cells; i++) { const v = el('td'); v.dataset.label = labels[i - 1]; tr.append(v); }
    }
    const prog = tr.cells[1];
    if (c.status === 'held') setText(prog, t('held'));
    else setText(prog, c.level === 'tps' ? t(c.status === 'counted' ? 'counted' : 'none') : `${fmt.format(c.progress.tpsCounted)}/${fmt.format(c.progress.tpsTotal)}`);
    prog.className = c.status === 'held' || c.progress?.tpsHeld > 0 && c.level !== 'tps' ? 'held' : '';
    if (c.level !== 'tps' && c.progress.tpsHeld > 0) prog.title = t('heldN', fmt.format(c.progress.tpsHeld)); else prog.removeAttribute('title');
    [...c.choices, c.valid].forEach((v, i) => setText(tr.cells[2 + i], fmt.format(v)));
    return tr;
  });
  const same = rows.length === body.rows.length && rows.every((r, i) => body.rows[i] === r);
  if (!same) body.replaceChildren(...rows);
}

// A tile grid of Indonesia's 38 provinces, roughly where they lie: [code, column, row, short name].
const TILES = [[11, 0, 0, 'ACEH'], [12, 1, 1, 'SUMUT'], [14, 2, 1, 'RIAU'], [21, 3, 1, 'KEPRI'], [13, 1, 2, 'SUMBAR'],
  [15, 2, 2, 'JAMBI'], [17, 2, 3, 'BKL'], [16, 3, 3, 'SUMSEL'], [19, 4, 3, 'BABEL'], [18, 3, 4, 'LAMPUNG'],
  [31, 4, 4, 'DKI'], [36, 4, 5, 'BANTEN'], [32, 5, 5, 'JABAR'], [33, 6, 5, 'JATENG'], [34, 6, 6, 'DIY'], [35, 7, 5, 'JATIM'],
  [51, 8, 5, 'BALI'], [52, 9, 5, 'NTB'], [53, 10, 5, 'NTT'], [61, 5, 2, 'KALBAR'], [62, 6, 2, 'KALTENG'], [63, 7, 3, 'KALSEL'],
  [64, 7, 1, 'KALTIM'], [65, 7, 0, 'KALTARA'], [71, 10, 0, 'SULUT'], [75, 9, 0, 'GTLO'], [72, 9, 1, 'SULTENG'], [76, 8, 2, 'SULBAR'],
  [73, 8, 3, 'SULSEL'], [74, 9, 3, 'SULTRA'], [82, 11, 1, 'MALUT'], [81, 11, 3, 'MALUKU'], [96, 12, 1, 'PBD'], [92, 12, 2, 'PB'],
  [94, 13, 3, 'PTENGAH'], [91, 14, 2, 'PAPUA'], [95, 14, 3, 'PPEG'], [93, 14, 4, 'PSEL']];

function map(doc, contest) {
  const wrap = $('map-wrap');
  const byCode = new Map(doc.children.map(c => [c.code, c]));
  wrap.hidden = !(doc.region.code === election.root.code && doc.children.some(c => c.level === 'provinsi'));
  if (wrap.hidden) return;
  const NS = 'http://www.w3.org/2000/svg';
  const tiles = TILES.map(([code, x, y, short]) => {
    const c = byCode.get(String(code));
    let lead = -1;
    if (c && c.valid > 0) lead = c.choices.indexOf(Math.max(...c.choices));
    return { code: String(code), x, y, short, c, lead };
  });
  const key = JSON.stringify([tiles.map(x => x.lead), current.contest, lang]);
  replaceIfChanged($('map'), key, () => tiles.map(({ code, x, y, short, c, lead }) => {
    const g = document.createElementNS(NS, c ? 'a' : 'g');
    if (c) g.setAttribute('href', link(code, current.contest));
    const r = document.createElementNS(NS, 'rect');
    Object.entries({ x: x * 10 + 0.5, y: y * 10 + 0.5, width: 9, height: 9, rx: 1 }).forEach(([k, v]) => r.setAttribute(k, v));
    r.setAttribute('fill', lead >= 0 ? COLORS[lead % COLORS.length] : c ? '#c8c8c8' : '#ececec');
    const title = document.createElementNS(NS, 'title');
    title.textContent = `${c ? c.name : short} · ${lead >= 0 ? `${t('lead')}: ${contest.choices[lead].number}. ${contest.choices[lead].name}` : t('mapNone')}`;
    const text = document.createElementNS(NS, 'text');
    Object.entries({ x: x * 10 + 5, y: y * 10 + 5.8, 'text-anchor': 'middle' }).forEach(([k, v]) => text.setAttribute(k, v));
    text.setAttribute('fill', lead >= 0 ? '#fff' : '#333');
    text.textContent = code;
    g.append(r, title, text);
    return g;
  }));
  $('map').setAttribute('aria-label', t('map'));
  setText($('map-caption'), t('map'));
}

async function render() {
  election = await getJson('api/v1/election.json');
  setText($('election'), election.election);
  setText($('logsize'), fmt.format(election.logSize));
  const date = etags.get('api/v1/election.json')?.date;
  const when = date ? new Date(date) : new Date();
  $('updated').dateTime = when.toISOString();
  setText($('updated'), when.toLocaleTimeString(locale()));
  $('contest-picker').hidden = current.tps;
  if (current.tps) return renderTps();
  $('tps-view').hidden = true;
  $('progress').hidden = false;
  $('children-section').hidden = false;
  const available = (await getJson(`api/v1/regions/${enc(current.code)}.json`)).contests;
  if (!current.contest || !available.includes(current.contest)) {
    current.contest = available.find(c => c === 'ppwp') || available[0];
  }
  const contest = election.contests.find(c => c.id === current.contest);
  const sel = $('contest');
  replaceIfChanged(sel, available.join(','), () => available.map(id => election.contests.find(c => c.id === id)).map(c => new Option(c.name, c.id)));
  sel.value = current.contest;
  const url = `api/v1/regions/${enc(current.code)}/${enc(current.contest)}.json`;
  const doc = await getJson(url);
  $('json-link').href = url;
  downloads([...doc.path, doc.region]);
  document.title = `${doc.region.name}: ${contest.name} · Rekap`;
  crumbs(doc.path, doc.region.name);
  setText($('region-name'), doc.region.name);

  const tot = doc.totals, p = tot.progress;
  const progress = $('progress-text');
  const line = t('progress', fmt.format(p.tpsCounted), fmt.format(p.tpsTotal), pct(p.tpsCounted, p.tpsTotal));
  const held = p.tpsHeld > 0 ? ` · ${t('heldN', fmt.format(p.tpsHeld))}` : '';
  replaceIfChanged(progress, line + held, () => [line, ...(held ? [el('span', held, 'held')] : [])]);
  $('progress-bar').style.width = p.tpsTotal ? `${100 * p.tpsCounted / p.tpsTotal}%` : '0';

  const max = Math.max(1, ...tot.choices);
  const list = $('choices');
  if (list.dataset.key !== current.contest) {
    list.replaceChildren(...contest.choices.map((c, i) => {
      const li = el('li');
      li.innerHTML = '<div class="row"><span></span><span class="n"></span></div><div class="bar"><span></span></div>';
      li.querySelector('.row span').textContent = `${c.number}. ${c.name}`;
      li.querySelector('.bar span').style.background = COLORS[i % COLORS.length];
      return li;
    }));
    list.dataset.key = current.contest;
  }
  contest.choices.forEach((c, i) => {
    const li = list.children[i];
    setText(li.querySelector('.n'), `${fmt.format(tot.choices[i])} (${pct(tot.choices[i], tot.valid)})`);
    li.querySelector('.bar span').style.width = `${100 * tot.choices[i] / max}%`;
  });
  setText($('sums'), t('sums', fmt.format(tot.valid), fmt.format(tot.invalid), fmt.format(tot.dpt)));
  map(doc, contest);

  const isTps = doc.children.length > 0 && doc.children[0].level === 'tps';
  setText($('children-title'), isTps ? t('tps') : t('children'));
  header(contest);
  childRows(doc.children);
  $('error').hidden = true;
}

async function refresh() {
  try { await render(); } catch (e) { $('error').hidden = false; $('error').textContent = t('errLoad', e.message); }
}

// A static copy of the site has no search endpoint: the page then searches api/v1/search-index.json itself, with the
// server's rules (a code finds that region or TPS; else names containing the query, exact, then prefix, then higher up).
let staticSearch = false;
let regions = null;
const normalize = s => s.toLowerCase().replace(/\s+/g, ' ').trim();

async function loadRegions() {
  if (regions) return regions;
  const rows = (await getJson('api/v1/search-index.json')).regions;
  const all = rows.map(([code, name, level, parent, tps]) => ({ code, name, level, parent, tps, norm: normalize(name) }));
  const depth = i => { let d = 0; for (let p = all[i].parent; p >= 0; p = all[p].parent) d++; return d; };
  all.forEach((r, i) => { r.depth = depth(i); });
  regions = { all, byCode: new Map(all.map((r, i) => [r.code, i])) };
  return regions;
}

const hasNumber = (ranges, n) => ranges.split(' ').some(r => { const [a, b] = r.split('-').map(Number); return n >= a && n <= (b ?? a); });

async function findStatic(q) {
  const { all, byCode } = await loadRegions();
  const pathOf = i => { const names = []; for (let p = all[i].parent; p > 0; p = all[p].parent) names.unshift(all[p].name); return names.join(' › '); };
  const hit = i => ({ code: all[i].code, name: all[i].name, level: all[i].level, path: pathOf(i) });
  const code = q.trim();
  if (byCode.has(code)) return [hit(byCode.get(code))];
  const m = code.match(/^(.+)\.(\d{3,4})$/);
  if (m && byCode.has(m[1]) && all[byCode.get(m[1])].tps && hasNumber(all[byCode.get(m[1])].tps, Number(m[2]))
      && code === `${m[1]}.${String(Number(m[2])).padStart(3, '0')}`) {
    const v = byCode.get(m[1]);
    return [{ code, name: `TPS ${Number(m[2])}`, level: 'tps', path: [pathOf(v), all[v].name].filter(Boolean).join(' › ') }];
  }
  const n = normalize(q);
  const rank = r => r.norm === n ? 0 : r.norm.startsWith(n) ? 1 : 2;
  const found = [];
  for (let i = 1; i < all.length; i++) if (all[i].norm.includes(n)) found.push(i);
  found.sort((a, b) => rank(all[a]) - rank(all[b]) || all[a].depth - all[b].depth || (all[a].code < all[b].code ? -1 : 1));
  return found.slice(0, 20).map(hit);
}

async function find(q) {
  if (!staticSearch) {
    const r = await fetch(`api/v1/search?q=${enc(q)}`);
    if (r.ok) return (await r.json()).results;
    if (r.status !== 404) throw new Error(`api/v1/search: HTTP ${r.status}`);
    staticSearch = true;
  }
  return findStatic(q);
}

async function search(q) {
  if (q.trim().length < 2) { $('results').replaceChildren(); return; }
  const results = await find(q.trim());
  $('results').replaceChildren(...results.map(x => {
    const li = el('li'); const a = el('a', `${x.name} (${x.code})`);
    a.href = x.level === 'tps' ? tpsLink(x.code, current.contest || 'ppwp') : link(x.code, current.contest || 'ppwp');
    li.append(a, el('small', x.path)); return li;
  }));
}

async function verify() {
  const out = $('verify-result');
  out.className = ''; out.textContent = t('verifying');
  $('verify').disabled = true;
  const r = await verifyEntry(election.log.verifierKey, Number($('verify').dataset.seq), current.code);
  $('verify').disabled = false;
  out.className = r.ok ? 'ok' : 'bad';
  out.textContent = r.ok ? `✓ ${t('verified', r.seq, fmt.format(r.size), r.root.slice(0, 12))}` : `✗ ${t('failed', r.why ? t(r.why) : r.message)}`;
}

function relabel() {
  fmt = new Intl.NumberFormat(locale());
  applyStatic();
  for (const id of ['crumbs', 'tps-flags', 'tps-sheet', 'tps-versions', 'tps-photos', 'progress-text']) {
    const e = id === 'tps-sheet' ? $(id).tBodies[0] : $(id);
    e.dataset.key = '';
  }
  $('children').tBodies[0].replaceChildren();
  $('verify-result').textContent = '';
  lastTps = null;
  refresh();
}

async function main() {
  applyStatic();
  election = await getJson('api/v1/election.json');
  let timer;
  $('q').addEventListener('input', e => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value).catch(() => {}), 250); });
  $('search').addEventListener('submit', e => { e.preventDefault(); search($('q').value); });
  $('results').addEventListener('click', () => { $('results').replaceChildren(); $('q').value = ''; });
  $('lang').addEventListener('click', () => { setLang(lang === 'id' ? 'en' : 'id'); relabel(); });
  $('verify').addEventListener('click', verify);
  $('children').tHead.addEventListener('click', e => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const key = b.dataset.sort;
    sort = { key, dir: sort.key === key ? -sort.dir : (key === 'name' ? 1 : -1) };
    refresh().then(() => $('children').tHead.querySelector(`button[data-sort="${key}"]`)?.focus());
  });
  route();
  $('contest').addEventListener('change', e => { location.hash = link(current.code, e.target.value); });
  window.addEventListener('hashchange', () => { route(); refresh().then(() => { if (!current.tps) window.scrollTo(0, 0); }); });
  await refresh();
  setInterval(refresh, 3000);
}

main().catch(e => { $('error').hidden = false; $('error').textContent = t('errLoad', e.message); });
