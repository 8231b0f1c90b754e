// The officer's app: enrol this phone for one TPS, copy each contest's C.Hasil, see broken rules while
// typing, photograph the pages, sign in the browser and leave the sending to the outbox (queue.js).
import { check, RULES, sheetFrom, counts, sign, sheetPayload, photoPayload, sha256, b64, partyKinds } from './sheet.js';
import * as q from './queue.js';

const $ = s => document.querySelector(s);
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (k in e) e[k] = v; else e.setAttribute(k, v);
  e.append(...kids.flat());
  return e;
}
const say = (id, text, kind = '') => { const p = $(id); p.textContent = text; p.className = 'msg ' + kind; };

let me = null, contests = [], contest = null, photos = [];
const form = $('#sheet-form');

const ENROL = {
  used: 'Kode ini sudah dipakai. Minta kode baru kepada PPS/KPU setempat.',
  expired: 'Kode ini sudah kedaluwarsa. Minta kode baru kepada PPS/KPU setempat.',
  unknown: 'Kode tidak dikenal. Periksa huruf demi huruf (kode tidak memakai O, I, L, U, 0 atau 1).',
  already_enrolled: 'Kunci perangkat ini sudah terdaftar sebelumnya. Coba sekali lagi: perangkat akan membuat kunci baru.',
  required: 'Ketik kode pendaftaran.',
};
const REFUSAL = {
  already_submitted: 'TPS ini sudah mengirim lembar untuk pemilihan ini; perbaikan hanya lewat PPK.',
  reused: 'Nomor kiriman ini sudah dipakai untuk lembar lain.',
  not_enrolled: 'Perangkat ini tidak (lagi) terdaftar.',
  revoked: 'Perangkat ini sudah dicabut oleh KPU.',
  invalid: 'Tanda tangan tidak sah.',
  outside_district: 'TPS ini tidak memilih dalam pemilihan ini.',
  impossible_count: 'Angka jauh melebihi jumlah pemilih TPS (salah ketik?).',
  choices_mismatch: 'Daftar pilihan tidak cocok dengan data pemilihan.',
  wrong_tps: 'Perangkat ini terdaftar untuk TPS lain.',
};

function net() {
  const on = navigator.onLine;
  const p = $('#net');
  p.textContent = on ? 'Tersambung' : 'Luring: kiriman disimpan dan dikirim otomatis saat tersambung';
  p.className = 'net ' + (on ? 'on' : 'off');
}

async function init() {
  net();
  addEventListener('online', net);
  addEventListener('offline', net);
  navigator.serviceWorker?.register('sw.js').catch(() => {});
  navigator.storage?.persist?.();
  q.onChange(renderQueue);
  $('#enrol-form').onsubmit = enrol;
  form.onsubmit = submit;
  form.oninput = e => { if (e.target.name) { draft(true); validate(); } };
  $('#contest').onchange = () => pick($('#contest').value);
  $('#photo').onchange = addPhotos;
  me = await q.get('device');
  if (me) await showSheet(); else $('#enrol').hidden = false;
  await renderQueue();
  q.kick();
}

async function enrol(ev) {
  ev.preventDefault();
  const code = $('#code').value.trim();
  if (!/^[A-Z0-9]{12}$/.test(code.toUpperCase().replace(/[\s-]/g, '')))
    return say('#enrol-msg', 'Kode terdiri dari 12 huruf dan angka, misalnya K7QM-4XHD-9RWB.', 'bad');
  const button = $('#enrol-form button');
  button.disabled = true;
  say('#enrol-msg', 'Membuat kunci dan mendaftarkan…');
  try {
    // The private key is made non-extractable: it can sign, but never leave this browser.
    let keys = await q.get('pendingKeys');
    if (!keys) {
      keys = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      await q.set('pendingKeys', keys);
    }
    const publicKey = b64(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
    let r;
    try {
      r = await fetch('../api/officer/v1/enrol', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, publicKey }),
      });
    } catch {
      return say('#enrol-msg', 'Tidak ada koneksi. Pendaftaran memerlukan internet; coba lagi saat tersambung.', 'bad');
    }
    const body = await r.json().catch(() => ({}));
    if (r.status === 201) {
      if (body.role !== 'officer') return say('#enrol-msg', 'Kode ini bukan kode petugas TPS.', 'bad');
      me = { device: body.device, tps: body.scope, role: body.role, keys, at: Date.now() };
      await q.set('device', me);
      await q.del('pendingKeys');
      $('#enrol').hidden = true;
      return showSheet();
    }
    const f = body.error?.fields?.[0] || {};
    if (f.rule === 'already_enrolled') await q.del('pendingKeys');
    say('#enrol-msg', ENROL[f.rule] || `Pendaftaran ditolak (${r.status}): ${f.field || ''} ${f.rule || ''} ${f.message || body.error?.message || ''}`, 'bad');
  } catch (e) {
    say('#enrol-msg', e.name === 'NotSupportedError'
      ? 'Peramban ini belum mendukung tanda tangan Ed25519. Perbarui peramban Anda.' : 'Gagal: ' + e.message, 'bad');
  } finally {
    button.disabled = false;
  }
}

async function json(url) {
  const r = await fetch(url, { cache: 'no-cache' });
  if (!r.ok) throw new Error(url + ': ' + r.status);
  return r.json();
}

async function showSheet() {
  $('#who').hidden = false;
  $('#tps').textContent = me.tps;
  $('#device').textContent = me.device.slice(0, 8);
  const parent = me.tps.slice(0, me.tps.lastIndexOf('.'));
  try {
    const [e, r] = await Promise.all([json('../api/v1/election.json'), json(`../api/v1/regions/${encodeURIComponent(parent)}.json`)]);
    const here = new Set(r.contests);
    contests = e.contests.filter(c => !c.rollup && here.has(c.id)).map(({ id, kind, name, choices }) => ({ id, kind, name, choices }));
    await q.set('contests', { tps: me.tps, place: r.region?.name || '', contests });
  } catch {
    const c = await q.get('contests'); // offline: what we saw last time
    if (c?.tps === me.tps) contests = c.contests;
  }
  const c = await q.get('contests');
  $('#place').textContent = c?.place ? ' · ' + c.place : '';
  if (!contests.length) return say('#sheet-msg', 'Data pemilihan belum tersedia. Sambungkan ke internet sekali untuk memuatnya.', 'bad');
  $('#sheet').hidden = false;
  pick(await fillPicker());
}

/** Marks the contests already signed; answers the first one still to do. */
async function fillPicker() {
  const sent = new Set((await q.items()).filter(i => i.tps === me.tps && i.state !== 'refused').map(i => i.contest));
  const value = $('#contest').value;
  $('#contest').replaceChildren(...contests.map(c => el('option', { value: c.id, textContent: c.name + (sent.has(c.id) ? ' ✓' : '') })));
  if (value) $('#contest').value = value;
  return (contests.find(c => !sent.has(c.id)) || contests[0]).id;
}

// Form fields are named by the sheet's field paths, the same paths the server names in its answers.
const num = (name, label) => el('input', {
  name, inputmode: 'numeric', pattern: '[0-9]*', maxLength: 7, autocomplete: 'off', enterkeyhint: 'next',
  'aria-label': label,
});
function grid(prefix, title) {
  const rows = [['dpt', 'DPT'], ['dptb', 'DPTb'], ['dpk', 'DPK'], ['total', 'Jumlah']];
  return el('fieldset', {}, el('legend', { textContent: title }),
    el('table', { className: 'grid' },
      el('thead', {}, el('tr', {}, el('th'), ...['L', 'P', 'Jumlah'].map(t => el('th', { textContent: t })))),
      el('tbody', {}, rows.map(([k, t]) => el('tr', { className: k === 'total' ? 'sum' : '' }, el('th', { textContent: t }),
        ['l', 'p', 'total'].map(x => el('td', {}, num(`${prefix}.${k}.${x}`, `${title}, ${t} ${x === 'total' ? 'jumlah' : x.toUpperCase()}`))))))));
}
const row = (name, label, cls = '') => el('label', { className: 'row ' + cls }, el('span', { textContent: label }), num(name, label));

function pick(id) {
  contest = contests.find(c => c.id === id) || contests[0];
  $('#contest').value = contest.id;
  const party = partyKinds.has(contest.kind);
  const votes = contest.choices.map((c, i) => (c.candidates?.length
    ? el('fieldset', { className: 'party' }, el('legend', { textContent: `${c.number}. ${c.name}` }),
      row(`votes[${i}].votes`, 'Suara partai saja'),
      c.candidates.map((k, j) => row(`votes[${i}].candidates[${j}]`, `${k.number}. ${k.name}`)),
      row(`votes[${i}].total`, 'Jumlah suara partai dan calon', 'sum'))
    : row(`votes[${i}].votes`, `${c.number}. ${c.name}${party ? ' (suara partai)' : ''}`)));
  $('#fields').replaceChildren(
    grid('registered', 'I. Data pemilih'),
    grid('voted', 'II. Pengguna hak pilih'),
    el('fieldset', {}, el('legend', { textContent: 'III. Surat suara' }),
      row('ballots.received', 'Diterima (termasuk cadangan)'), row('ballots.used', 'Digunakan'),
      row('ballots.unused', 'Tidak digunakan / sisa'), row('ballots.damaged', 'Rusak / keliru coblos')),
    el('fieldset', {}, el('legend', { textContent: 'IV. Perolehan suara sah' }), votes),
    el('fieldset', {}, el('legend', { textContent: 'V. Jumlah suara' }),
      row('valid', 'Suara sah'), row('invalid', 'Suara tidak sah'), row('cast', 'Jumlah suara sah dan tidak sah', 'sum')));
  draft(false);
  validate();
}

function draft(store) {
  const key = `draft:${me.tps}:${contest.id}`, inputs = [...form.querySelectorAll('input[name]')];
  if (store) return localStorage.setItem(key, JSON.stringify(Object.fromEntries(inputs.map(i => [i.name, i.value]))));
  const d = JSON.parse(localStorage.getItem(key) || '{}');
  inputs.forEach(i => { i.value = d[i.name] ?? ''; });
}

/** Reads the form, marks bad and inconsistent fields, and lists every broken rule. */
function validate() {
  const inputs = [...form.querySelectorAll('input[name]')], vals = {};
  let empty = null, bad = null;
  for (const i of inputs) {
    const t = i.value.trim(), ok = /^\d+$/.test(t) && Number(t) <= 2147483647;
    i.classList.toggle('bad', t !== '' && !ok);
    if (t === '') empty ??= i; else if (!ok) bad ??= i;
    vals[i.name] = ok ? Number(t) : null;
  }
  const sheet = sheetFrom(me.tps, contest, k => vals[k] ?? null, []);
  const vs = check(sheet);
  const field = f => form.elements[f] || form.elements[f.replace(/\.total$/, '.votes')];
  const flagged = new Set(vs.map(v => field(v.field)));
  inputs.forEach(i => i.setAttribute('aria-invalid', flagged.has(i) || i.classList.contains('bad')));
  const box = $('#problems');
  box.className = vs.length ? 'problems warn' : 'problems';
  if (vs.length) {
    box.replaceChildren(el('p', {}, el('b', { textContent: `${vs.length} aturan belum terpenuhi. ` }),
      'Periksa lagi angka yang disalin. Lembar ini tetap dapat dikirim, tetapi akan ditahan sebagai “perlu diperiksa” dan tidak dihitung sampai diperiksa PPK.'),
      el('ul', {}, vs.map(v => el('li', { 'data-rule': v.rule, 'data-field': v.field, onclick: () => field(v.field)?.focus() },
        el('b', { textContent: RULES[v.rule] }), ` (${field(v.field)?.getAttribute('aria-label') || v.field}): ${v.detail}`))));
  } else {
    const n = inputs.filter(i => i.value.trim() === '').length;
    box.replaceChildren(el('p', { textContent: n ? `${n} kolom belum diisi. Isi 0 bila nihil.` : 'Semua angka konsisten.' }));
  }
  $('#send').textContent = vs.length ? 'Tanda tangani dan kirim (akan ditahan untuk diperiksa)' : 'Tanda tangani dan kirim';
  return { sheet, vs, empty, bad };
}

async function addPhotos() {
  const files = [...$('#photo').files];
  $('#photo').value = '';
  for (const f of files) {
    if (photos.length >= 10) { say('#sheet-msg', 'Paling banyak 10 foto per lembar.', 'bad'); break; }
    try {
      let blob = f;
      // The server takes JPEG, PNG or WebP up to 5 MB: anything else is re-encoded as a smaller JPEG.
      if (f.size > 5e6 || !/^image\/(jpeg|png|webp)$/.test(f.type)) {
        const bmp = await createImageBitmap(f), s = Math.min(1, 2400 / Math.max(bmp.width, bmp.height));
        const c = new OffscreenCanvas(Math.round(bmp.width * s), Math.round(bmp.height * s));
        c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
        blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      }
      const sha = await sha256(await blob.arrayBuffer());
      if (!photos.some(p => p.sha === sha)) photos.push({ sha, type: blob.type, blob, url: URL.createObjectURL(blob) });
    } catch {
      say('#sheet-msg', `Foto ${f.name} tidak dapat dibaca; gunakan JPEG atau PNG.`, 'bad');
    }
  }
  renderPhotos();
}

function renderPhotos() {
  $('#photos').replaceChildren(...photos.map(p => el('li', {},
    p.url ? el('img', { src: p.url, alt: 'Foto lembar' }) : '',
    el('code', { textContent: p.sha.slice(0, 12) + '…' }),
    el('button', { type: 'button', textContent: 'Hapus', onclick: () => { photos = photos.filter(x => x !== p); renderPhotos(); } }))));
}

async function submit(ev) {
  ev.preventDefault();
  const { sheet, vs, empty, bad } = validate();
  if (bad || empty) {
    (bad || empty).focus();
    return say('#sheet-msg', bad ? 'Isi hanya dengan angka 0–9.' : 'Masih ada kolom kosong. Isi 0 bila nihil.', 'bad');
  }
  const mine = (await q.items()).find(i => i.tps === me.tps && i.contest === contest.id && i.state !== 'refused');
  if (mine) return say('#sheet-msg', `Lembar ${contest.name} sudah ${mine.state === 'waiting' ? 'di antrean' : 'terkirim'}. Perbaikan hanya lewat PPK.`, 'bad');
  $('#send').disabled = true;
  try {
    sheet.photos = photos.map(p => p.sha);
    const id = crypto.randomUUID(); // chosen once: every retry of this sheet carries it
    const key = me.keys.privateKey;
    await q.save({
      id, tps: me.tps, contest: contest.id, name: contest.name, device: me.device, sheet, at: Date.now(), attempts: 0,
      state: 'waiting', sig: await sign(key, sheetPayload(id, sheet)),
      photos: await Promise.all(photos.map(async p => ({
        sha: p.sha, type: p.type, blob: p.blob, done: !p.blob, sig: await sign(key, photoPayload(p.sha)) }))),
    });
    localStorage.removeItem(`draft:${me.tps}:${contest.id}`);
    photos = [];
    renderPhotos();
    form.reset();
    say('#sheet-msg', `Lembar ${contest.name} ditandatangani dan masuk antrean` + (vs.length ? ' (akan ditahan untuk diperiksa).' : '.'), 'ok');
    pick(await fillPicker());
    await renderQueue();
    $('#queue-section').scrollIntoView();
    q.kick();
  } catch (e) {
    say('#sheet-msg', 'Gagal menandatangani: ' + e.message, 'bad');
  } finally {
    $('#send').disabled = false;
  }
}

const STATE = { waiting: 'menunggu', counted: 'terkirim: dihitung', held: 'terkirim: perlu diperiksa', refused: 'ditolak' };
const time = t => new Date(t).toLocaleTimeString('id-ID', { hour: '2-digit', minute: '2-digit' });

async function renderQueue() {
  const all = (await q.items()).sort((a, b) => b.at - a.at);
  $('#queue-section').hidden = !all.length;
  $('#queue').replaceChildren(...all.map(it => {
    const notes = [];
    if (it.state === 'waiting') notes.push(it.attempts ? `percobaan ${it.attempts}: ${it.lastError || 'mengirim…'}` : 'belum dicoba');
    if (it.receipt) notes.push(`nomor log ${it.receipt.seq}`);
    for (const v of it.receipt?.violations || []) notes.push(`${RULES[v.rule] || v.rule}: ${v.detail}`);
    if (it.refusal) {
      notes.push(`Server menjawab ${it.refusal.status}: ${it.refusal.message}`);
      for (const f of it.refusal.fields) notes.push(`${REFUSAL[f.rule] ? REFUSAL[f.rule] + ' ' : ''}${f.field} (${f.rule}): ${f.message}`);
    }
    return el('li', { className: it.state, 'data-id': it.id, 'data-state': it.state, 'data-attempts': it.attempts },
      el('div', {}, el('b', { textContent: it.name }), el('span', { className: 'state', textContent: STATE[it.state] })),
      el('small', { textContent: `TPS ${it.tps} · ditandatangani ${time(it.at)}` }),
      el('ul', {}, notes.map(n => el('li', { textContent: n }))),
      it.state === 'refused' ? el('button', { type: 'button', textContent: 'Perbaiki dan kirim ulang', onclick: () => refill(it) }) : '');
  }));
  if (contest) fillPicker();
}

/** A refused sheet back into the form, to fix and send under a new submission id. */
async function refill(it) {
  await q.drop(it.id);
  pick(it.contest);
  for (const [name, v] of counts(it.sheet)) if (form.elements[name]) form.elements[name].value = v;
  photos = it.photos.filter(p => p.done).map(p => ({ sha: p.sha, type: p.type, blob: null }));
  renderPhotos();
  draft(true);
  validate();
  form.scrollIntoView();
}

init().catch(e => say('#sheet-msg', 'Gagal memuat: ' + e.message, 'bad'));
