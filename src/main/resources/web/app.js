// Rekap public page: one region x contest at a time, refreshed in place. No framework, no build step.
// Permalinks: #/wilayah/<region code>/<contest id>. URLs are relative so a static copy works anywhere.
const COLORS = ['#0b5cad', '#c0392b', '#2e7d32', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#b7950b'];
const fmt = new Intl.NumberFormat('id-ID');
const pct = (n, d) => d > 0 ? (100 * n / d).toLocaleString('id-ID', { maximumFractionDigits: 2, minimumFractionDigits: 2 }) + '%' : '-';
const $ = id => document.getElementById(id);
let election = null;
let current = { code: '0', contest: null };
const etags = new Map();

async function getJson(url) {
  const headers = etags.has(url) ? { 'If-None-Match': etags.get(url).etag } : {};
  const r = await fetch(url, { headers });
  if (r.status === 304) return etags.get(url).body;
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const body = await r.json();
  const etag = r.headers.get('ETag');
  if (etag) etags.set(url, { etag, body });
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

const FIELDS = [
  ['DPT (L/P/jumlah)', s => s.registered.dpt], ['DPTb', s => s.registered.dptb], ['DPK', s => s.registered.dpk],
  ['Pemilih (jumlah)', s => s.registered.total], ['Pengguna hak pilih DPT', s => s.voted.dpt],
  ['Pengguna DPTb', s => s.voted.dptb], ['Pengguna DPK', s => s.voted.dpk], ['Pengguna (jumlah)', s => s.voted.total],
];

async function renderTps() {
  const doc = await getJson(`api/v1/tps/${encodeURIComponent(current.code)}/${encodeURIComponent(current.contest)}.json`);
  const contest = election.contests.find(c => c.id === current.contest);
  $('tps-view').hidden = false;
  $('children-section').hidden = true;
  $('choices').replaceChildren();
  $('sums').textContent = '';
  $('progress-text').textContent = '';
  $('progress-bar').style.width = '0';
  $('region-name').textContent = `${doc.tps.name} · ${doc.path[doc.path.length - 1].name}`;
  $('tps-title').textContent = `${contest.name}`;
  const crumbs = [...doc.path].map(r => {
    const li = document.createElement('li'); const a = document.createElement('a');
    a.href = link(r.code, current.contest); a.textContent = r.name; li.append(a); return li;
  });
  const here = document.createElement('li'); here.textContent = doc.tps.name; here.setAttribute('aria-current', 'page');
  $('crumbs').replaceChildren(...crumbs, here);
  const status = { none: 'Belum masuk', counted: 'Masuk dalam hitungan', held: 'Perlu diperiksa: tidak dihitung sampai diperiksa' };
  $('tps-status').textContent = `${status[doc.status]} · DPT ${fmt.format(doc.tps.dpt)}`;
  $('tps-flags').replaceChildren(...(doc.violations || []).map(v => { const li = document.createElement('li'); li.textContent = `${v.rule}: ${v.detail}`; return li; }));
  const rows = [];
  if (doc.sheet) {
    const s = doc.sheet;
    for (const [label, get] of FIELDS) { const c = get(s); rows.push([label, `${fmt.format(c.l)} / ${fmt.format(c.p)} / ${fmt.format(c.total)}`]); }
    rows.push(['Surat suara diterima / digunakan / sisa / rusak', `${s.ballots.received} / ${s.ballots.used} / ${s.ballots.unused} / ${s.ballots.damaged}`]);
    s.votes.forEach((v, i) => rows.push([`${v.choice}. ${contest.choices[i].name}`, fmt.format(v.total)]));
    rows.push(['Suara sah', fmt.format(s.valid)], ['Suara tidak sah', fmt.format(s.invalid)], ['Jumlah suara', fmt.format(s.cast)]);
  }
  $('tps-sheet').tBodies[0].replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr'); const th = document.createElement('th'); th.scope = 'row'; th.textContent = k;
    const td = document.createElement('td'); td.textContent = v; tr.append(th, td); return tr;
  }));
  $('tps-versions').replaceChildren(...doc.versions.map(v => {
    const li = document.createElement('li');
    li.textContent = `#${v.seq} · ${new Date(v.receivedAt).toLocaleString('id-ID')} · ${v.status === 'held' ? 'perlu diperiksa' : 'masuk'}`;
    return li;
  }));
}

function link(code, contest) { return `#/wilayah/${encodeURIComponent(code)}/${encodeURIComponent(contest)}`; }

async function render() {
  election = await getJson('api/v1/election.json');
  $('election').textContent = election.election;
  $('logsize').textContent = fmt.format(election.logSize);
  $('updated').textContent = new Date().toLocaleTimeString('id-ID');
  $('contest-picker').hidden = current.tps;
  if (current.tps) return renderTps();
  $('tps-view').hidden = true;
  $('children-section').hidden = false;
  const available = (await getJson(`api/v1/regions/${encodeURIComponent(current.code)}.json`)).contests;
  if (!current.contest || !available.includes(current.contest)) {
    current.contest = available.find(c => c === 'ppwp') || available[0];
  }
  const contest = election.contests.find(c => c.id === current.contest);
  const sel = $('contest');
  const options = available.map(id => election.contests.find(c => c.id === id));
  if (sel.dataset.key !== available.join(',')) {
    sel.replaceChildren(...options.map(c => new Option(c.name, c.id)));
    sel.dataset.key = available.join(',');
  }
  sel.value = current.contest;
  const url = `api/v1/regions/${encodeURIComponent(current.code)}/${encodeURIComponent(current.contest)}.json`;
  const doc = await getJson(url);
  $('json-link').href = url;
  const dl = `api/v1/download/${encodeURIComponent(current.code)}/${encodeURIComponent(current.contest)}`;
  $('csv-download').href = `${dl}.csv`;
  $('json-download').href = `${dl}.json`;
  document.title = `${doc.region.name}: ${contest.name} · Rekap`;

  const crumbs = [...doc.path, doc.region].map((r, i, all) => {
    const li = document.createElement('li');
    if (i === all.length - 1) { li.textContent = r.name; li.setAttribute('aria-current', 'page'); }
    else { const a = document.createElement('a'); a.href = link(r.code, current.contest); a.textContent = r.name; li.append(a); }
    return li;
  });
  $('crumbs').replaceChildren(...crumbs);
  $('region-name').textContent = doc.region.name;

  const t = doc.totals, p = t.progress;
  $('progress-text').innerHTML = '';
  $('progress-text').append(`TPS masuk ${fmt.format(p.tpsCounted)} dari ${fmt.format(p.tpsTotal)} (${pct(p.tpsCounted, p.tpsTotal)})`);
  if (p.tpsHeld > 0) {
    const s = document.createElement('span');
    s.className = 'held';
    s.textContent = ` · ${fmt.format(p.tpsHeld)} perlu diperiksa`;
    $('progress-text').append(s);
  }
  $('progress-bar').style.width = p.tpsTotal ? `${100 * p.tpsCounted / p.tpsTotal}%` : '0';

  const valid = t.valid;
  const max = Math.max(1, ...t.choices);
  $('choices').replaceChildren(...contest.choices.map((c, i) => {
    const li = document.createElement('li');
    li.innerHTML = `<div class="row"><span></span><span></span></div><div class="bar"><span></span></div>`;
    li.querySelector('.row span').textContent = `${c.number}. ${c.name}`;
    li.querySelector('.row span:last-child').textContent = `${fmt.format(t.choices[i])} (${pct(t.choices[i], valid)})`;
    const bar = li.querySelector('.bar span');
    bar.style.width = `${100 * t.choices[i] / max}%`;
    bar.style.background = COLORS[i % COLORS.length];
    return li;
  }));
  $('sums').textContent = `Suara sah ${fmt.format(t.valid)} · tidak sah ${fmt.format(t.invalid)} · DPT ${fmt.format(t.dpt)}`;

  const isTps = doc.children.length > 0 && doc.children[0].level === 'tps';
  $('children-title').textContent = isTps ? 'TPS' : 'Wilayah di bawahnya';
  const head = document.createElement('tr');
  for (const h of ['Wilayah', 'TPS masuk', ...contest.choices.map(c => String(c.number)), 'Suara sah']) {
    const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; head.append(th);
  }
  $('children').tHead.replaceChildren(head);
  $('children').tBodies[0].replaceChildren(...doc.children.map(c => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    const a = document.createElement('a');
    a.href = c.level === 'tps' ? `#/tps/${encodeURIComponent(c.code)}/${encodeURIComponent(current.contest)}` : link(c.code, current.contest);
    a.textContent = c.name; name.append(a);
    tr.append(name);
    const prog = document.createElement('td');
    if (c.status === 'held') { prog.textContent = 'perlu diperiksa'; prog.className = 'held'; }
    else prog.textContent = c.level === 'tps' ? (c.status === 'counted' ? 'masuk' : 'belum') : `${fmt.format(c.progress.tpsCounted)}/${fmt.format(c.progress.tpsTotal)}`;
    tr.append(prog);
    for (const v of [...c.choices, c.valid]) { const td = document.createElement('td'); td.textContent = fmt.format(v); tr.append(td); }
    return tr;
  }));
  $('error').hidden = true;
}

async function refresh() {
  try { await render(); } catch (e) { $('error').hidden = false; $('error').textContent = `Gagal memuat: ${e.message}. Mencoba lagi…`; }
}

async function search(q) {
  if (q.trim().length < 2) { $('results').replaceChildren(); return; }
  const r = await getJson(`api/v1/search?q=${encodeURIComponent(q.trim())}`);
  $('results').replaceChildren(...r.results.map(x => {
    const li = document.createElement('li'); const a = document.createElement('a');
    a.href = x.level === 'tps' ? `#/tps/${encodeURIComponent(x.code)}/ppwp` : link(x.code, current.contest || 'ppwp');
    a.textContent = `${x.name} (${x.code})`;
    const small = document.createElement('small'); small.textContent = x.path;
    li.append(a, small); return li;
  }));
}

async function main() {
  election = await getJson('api/v1/election.json');
  let timer;
  $('q').addEventListener('input', e => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value).catch(() => {}), 250); });
  $('search').addEventListener('submit', e => { e.preventDefault(); search($('q').value); });
  $('results').addEventListener('click', () => { $('results').replaceChildren(); $('q').value = ''; });
  route();
  $('contest').addEventListener('change', e => { location.hash = link(current.code, e.target.value); });
  window.addEventListener('hashchange', () => { route(); refresh(); });
  await refresh();
  setInterval(refresh, 3000);
}

main().catch(e => { $('error').hidden = false; $('error').textContent = `Gagal memuat: ${e.message}`; });
