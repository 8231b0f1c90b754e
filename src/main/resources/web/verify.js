// Checks in the browser, with WebCrypto only, that log entry `seq` is in the log the election's key signed:
// the checkpoint's Ed25519 signature (C2SP signed-note), the entry's bytes from its entry bundle (C2SP tlog-tiles),
// and the RFC 6962 inclusion proof from the entry's leaf hash to the checkpoint's root. The proof is computed here from
// the hash tiles, so the check needs nothing but static files: it works the same on a live server, a mirror and a
// static export (which cannot answer proof queries).
const enc = new TextEncoder();
const b64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const hex = a => [...a].map(x => x.toString(16).padStart(2, '0')).join('');
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const sha = async (...parts) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
};

class Fail extends Error {}

/** "1234067" -> "x001/x234/067": the tile index in groups of three digits. */
export function tileIndex(n) {
  const groups = [];
  do { groups.unshift(String(n % 1000).padStart(3, '0')); n = Math.floor(n / 1000); } while (n > 0);
  return groups.map((g, i) => i < groups.length - 1 ? 'x' + g : g).join('/');
}

/** RFC 6962 / 9162 inclusion: recomputes the root from the leaf hash and the audit path. */
export async function rootFromInclusion(index, size, leaf, proof) {
  if (index < 0 || index >= size) return null;
  let fn = index, sn = size - 1, r = leaf;
  const one = Uint8Array.of(1);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha(one, p, r);
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      r = await sha(one, r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** Opens a signed note with a verifier key "<name>+<hex id>+<base64(0x01 || key)>"; returns the note's text lines. */
export async function openNote(note, verifierKey) {
  const [name, id, ...rest] = verifierKey.split('+');
  const k = rest.join('+');
  let raw = new Uint8Array();
  try { raw = b64(k); } catch { /* checked below */ }
  if (!name || !/^[0-9a-f]{8}$/.test(id) || raw.length !== 33 || raw[0] !== 1) throw new Fail('vKey');
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Fail('vNoSig');
  const text = note.slice(0, split + 1);
  let key;
  try { key = await crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']); }
  catch { throw new Fail('vNoCrypto'); }
  let found = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    if (!m || m[1] !== name) continue;
    const sig = b64(m[2]);
    if (sig.length !== 68 || hex(sig.slice(0, 4)) !== id) continue;
    found = true;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, sig.slice(4), enc.encode(text))) return text.split('\n');
  }
  throw new Fail(found ? 'vSig' : 'vNoSig');
}

const largestPow2Below = n => { let k = 1; while (k * 2 < n) k *= 2; return k; };

/**
 * Hashes of the tree of `size` leaves from its tiles: tile L holds the hashes at tree level 8L; a subtree between
 * those levels is hashed up from the tile's row. A partial tile the log has since filled is read from the full one.
 */
function tileHashes(size) {
  const tiles = new Map();
  const one = Uint8Array.of(1);
  async function tile(level, index) {
    const key = `${level}/${index}`;
    if (!tiles.has(key)) {
      const count = Math.floor(size / 256 ** level);
      const width = Math.min(256, count - index * 256);
      const full = `tile/${level}/${tileIndex(index)}`;
      tiles.set(key, (async () => {
        if (width === 256) return fetchOk(full);
        try { return await fetchOk(`${full}.p/${width}`); }
        catch { return (await fetchOk(full)).slice(0, width * 32); }
      })());
    }
    return tiles.get(key);
  }
  /** The hash of the complete subtree of height `h` at `index` (leaves index * 2^h .. (index + 1) * 2^h - 1). */
  async function node(h, index) {
    const level = Math.floor(h / 8), n = 2 ** (h % 8), first = index * n, t = Math.floor(first / 256);
    const bytes = await tile(level, t);
    let row = [];
    for (let k = 0; k < n; k++) {
      const at = (first - t * 256 + k) * 32;
      if (at + 32 > bytes.length) throw new Fail('vPath');
      row.push(bytes.slice(at, at + 32));
    }
    while (row.length > 1) {
      const up = [];
      for (let k = 0; k < row.length; k += 2) up.push(await sha(one, row[k], row[k + 1]));
      row = up;
    }
    return row[0];
  }
  /** RFC 6962 MTH of leaves [a, b): aligned complete subtrees come from tiles, the ragged right edge is split. */
  async function range(a, b) {
    const n = b - a;
    if ((n & (n - 1)) === 0 && a % n === 0) return node(Math.log2(n), a / n);
    const k = largestPow2Below(n);
    return sha(one, await range(a, a + k), await range(a + k, b));
  }
  /** RFC 6962 PATH(m, D[a:b]): the audit path of leaf a + m, leaf side first. */
  async function path(m, a, b) {
    const n = b - a;
    if (n <= 1) return [];
    const k = largestPow2Below(n);
    return m < k ? [...await path(m, a, a + k), await range(a + k, b)] : [...await path(m - k, a + k, b), await range(a, a + k)];
  }
  return { leaf: index => node(0, index), proof: index => path(index, 0, size) };
}

async function fetchOk(url, how) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return how === 'json' ? r.json() : how === 'text' ? r.text() : new Uint8Array(await r.arrayBuffer());
}

/** The entry at `index` in the bundle bytes (big-endian uint16 length, then the entry). */
function entryAt(bundle, index) {
  let o = 0;
  for (let i = 0; o + 2 <= bundle.length; i++) {
    const n = (bundle[o] << 8) | bundle[o + 1];
    if (i === index) return bundle.slice(o + 2, o + 2 + n);
    o += 2 + n;
  }
  throw new Fail('vLeaf');
}

/**
 * The bytes of log entry `seq` of a log of `size` entries, from its entry bundle (a partial bundle the log has since
 * filled is read from the full one).
 */
export async function fetchEntry(seq, size) {
  const n = Math.floor(seq / 256), width = Math.min(256, size - n * 256);
  const path = `tile/entries/${tileIndex(n)}`;
  let bundle;
  try { bundle = await fetchOk(width < 256 ? `${path}.p/${width}` : path); }
  catch (e) { if (width === 256) throw e; bundle = await fetchOk(path); }
  return entryAt(bundle, seq % 256);
}

/**
 * Verifies that log entry `seq` holds the sheet of `tps` and is in the signed log. Resolves to {ok: true, seq, size,
 * root} or {ok: false, why} where `why` is a string key (for the UI's dictionary) or an error message.
 */
export async function verifyEntry(verifierKey, seq, tps) {
  try {
    if (seq == null) throw new Fail('vNoSeq');
    const lines = await openNote(await fetchOk('checkpoint', 'text'), verifierKey);
    const [origin, sizeText, rootText] = lines;
    if (origin !== verifierKey.split('+')[0]) throw new Fail('vOrigin');
    const size = Number(sizeText), root = b64(rootText);
    if (!(seq < size)) throw new Fail('vSize');
    const entry = await fetchEntry(seq, size);
    const leaf = await sha(Uint8Array.of(0), entry);
    const hashes = tileHashes(size);
    if (!same(leaf, await hashes.leaf(seq))) throw new Fail('vLeaf');
    const body = JSON.parse(new TextDecoder().decode(entry));
    if ((body.sheet?.tps ?? body.corrected?.tps ?? body.tps) !== tps) throw new Fail('vEntry');
    const computed = await rootFromInclusion(seq, size, leaf, await hashes.proof(seq));
    if (!computed || !same(computed, root)) throw new Fail('vPath');
    return { ok: true, seq, size, root: rootText };
  } catch (e) {
    return { ok: false, why: e instanceof Fail ? e.message : null, message: e.message };
  }
}
