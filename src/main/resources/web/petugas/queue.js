// IndexedDB (the device's key, its TPS, cached contests, the outbox) and the sender that empties the
// outbox. A queued item keeps its submission id for life, so however often it is retried the server
// stores it once. An item leaves the "waiting" state only on 201, or on a refusal that can never succeed.

const API = '../api/officer/v1/';
const db = new Promise((ok, ko) => {
  const r = indexedDB.open('rekap-petugas', 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore('kv');
    r.result.createObjectStore('queue', { keyPath: 'id' });
  };
  r.onsuccess = () => ok(r.result);
  r.onerror = () => ko(r.error);
});

function tx(store, mode, f) {
  return db.then(d => new Promise((ok, ko) => {
    const t = d.transaction(store, mode), req = f(t.objectStore(store));
    t.oncomplete = () => ok(req.result);
    t.onerror = t.onabort = () => ko(t.error);
  }));
}
export const get = k => tx('kv', 'readonly', s => s.get(k));
export const set = (k, v) => tx('kv', 'readwrite', s => s.put(v, k));
export const del = k => tx('kv', 'readwrite', s => s.delete(k));
export const items = () => tx('queue', 'readonly', s => s.getAll());

const channel = 'BroadcastChannel' in self ? new BroadcastChannel('rekap-petugas') : null;
const listeners = [];
export const onChange = f => listeners.push(f);
const changed = () => { listeners.forEach(f => f()); channel?.postMessage(1); };
if (channel) channel.onmessage = () => listeners.forEach(f => f());

export async function save(item) { await tx('queue', 'readwrite', s => s.put(item)); changed(); }
export async function drop(id) { await tx('queue', 'readwrite', s => s.delete(id)); changed(); }

// 5xx, 429 and 408 may pass later; any other 4xx will be refused again however often it is sent.
const transient = status => status >= 500 || status === 429 || status === 408;
let timer = 0, fails = 0, busy = false, again = false;

/** Sends what waits now (or as soon as the current pass ends). */
export function kick() {
  clearTimeout(timer);
  timer = 0;
  if (busy) { again = true; return; }
  busy = true;
  const pass = () => sendAll().catch(e => { console.error(e); return false; });
  // One sender per browser, however many tabs are open.
  (navigator.locks ? navigator.locks.request('rekap-petugas-kirim', pass) : pass()).then(ok => {
    busy = false;
    fails = ok ? 0 : fails + 1;
    if (again) { again = false; kick(); }
    else if (!ok) timer = setTimeout(kick, Math.min(30000, 1000 * 2 ** fails) * (0.5 + Math.random() / 2));
  });
}
addEventListener('online', () => { fails = 0; kick(); });
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && kick());

/** One pass over the waiting items, oldest first; false when something must be retried later. */
async function sendAll() {
  const waiting = (await items()).filter(i => i.state === 'waiting').sort((a, b) => a.at - b.at);
  for (const it of waiting) if (!(await send(it))) return false;
  return true;
}

async function call(it, url, init) {
  it.attempts++;
  try {
    return await fetch(url, { ...init, cache: 'no-store', signal: AbortSignal.timeout(60000) });
  } catch (e) {
    it.lastError = navigator.onLine ? 'jaringan gagal' : 'tidak ada koneksi';
    await save(it);
    return null;
  }
}

async function send(it) {
  for (const p of it.photos) {
    if (p.done) continue;
    const r = await call(it, API + 'photos/' + p.sha, {
      method: 'PUT', body: p.blob,
      headers: { 'Content-Type': p.type, 'X-Rekap-Device': it.device, 'X-Rekap-Signature': p.sig },
    });
    if (!r) return false;
    if (r.status === 201) { p.done = true; p.blob = null; await save(it); continue; }
    return settle(it, r);
  }
  const r = await call(it, API + 'sheets', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ submissionId: it.id, sheet: it.sheet, device: it.device, signature: it.sig }),
  });
  return r ? settle(it, r) : false;
}

async function settle(it, r) {
  const body = await r.json().catch(() => ({}));
  if (r.status === 201 && body.status) {
    it.state = body.status === 'counted' ? 'counted' : 'held';
    it.receipt = { seq: body.seq, receivedAt: body.receivedAt, violations: body.violations || [] };
  } else if (r.status < 400 || transient(r.status)) {
    it.lastError = 'server menjawab ' + r.status;
    await save(it);
    return false;
  } else {
    it.state = 'refused';
    it.refusal = { status: r.status, message: body.error?.message || '', fields: body.error?.fields || [] };
  }
  it.photos.forEach(p => { p.blob = null; });
  delete it.lastError;
  await save(it);
  return true;
}
