// The sheet as the server sees it: canonical JSON (docs/formats.md), the consistency rules of
// org.rekap.sheet.ConsistencyRules, and the bytes a device signs (org.rekap.codec.SignedPayloads).

// Canonical JSON: no whitespace, keys sorted by UTF-16 code units, integers only, strings escaped as
// RFC 8785 does. JSON.stringify escapes a string exactly so (\" \\ \b \f \n \r \t, other controls as
// \u00xx in lower case, the rest literal) once lone surrogates are refused, as the server refuses them.
export function canonical(v) {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error('JSON kanonik hanya memuat bilangan bulat: ' + v);
    return String(v);
  }
  if (typeof v === 'string') {
    if (!v.isWellFormed()) throw new Error('teks memuat surrogate tunggal');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  // Array.prototype.sort without a comparator compares strings by UTF-16 code units, as JCS wants.
  return '{' + Object.keys(v).sort().map(k => canonical(k) + ':' + canonical(v[k])).join(',') + '}';
}

export const utf8 = s => new TextEncoder().encode(s);
export const b64 = bytes => btoa(Array.from(bytes, b => String.fromCharCode(b)).join(''));
export const hex = buf => Array.from(new Uint8Array(buf), b => b.toString(16).padStart(2, '0')).join('');
export const sha256 = async buf => hex(await crypto.subtle.digest('SHA-256', buf));

/** Signs what SignedPayloads.sheet / .photo build; answers the signature in base64. */
export async function sign(privateKey, payload) {
  return b64(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, utf8(canonical(payload)))));
}
export const sheetPayload = (submissionId, sheet) => ({ purpose: 'rekap-sheet-v1', sheet, submissionId });
export const photoPayload = sha256 => ({ purpose: 'rekap-photo-v1', sha256 });

const LISTS = ['dpt', 'dptb', 'dpk'];
export const partyKinds = new Set(['dpr', 'dprd_provinsi', 'dprd_kabkota']);

/** The tally sheet JSON of the form's numbers; n(path) answers a field's number, or null when empty. */
export function sheetFrom(tps, contest, n, photos) {
  const sex = p => ({ l: n(p + '.l'), p: n(p + '.p'), total: n(p + '.total') });
  const lists = p => ({ dpt: sex(p + '.dpt'), dptb: sex(p + '.dptb'), dpk: sex(p + '.dpk'), total: sex(p + '.total') });
  return {
    tps, contest: contest.id,
    registered: lists('registered'), voted: lists('voted'),
    ballots: { received: n('ballots.received'), used: n('ballots.used'), unused: n('ballots.unused'), damaged: n('ballots.damaged') },
    votes: contest.choices.map((c, i) => {
      const candidates = (c.candidates || []).map((_, k) => n(`votes[${i}].candidates[${k}]`));
      const votes = n(`votes[${i}].votes`);
      // A pair or a DPD candidate has one number on paper: its total is its own votes.
      return { choice: c.number, votes, candidates, total: candidates.length ? n(`votes[${i}].total`) : votes };
    }),
    valid: n('valid'), invalid: n('invalid'), cast: n('cast'),
    photos,
  };
}

/** Every field path of a sheet with its number (the paths the server names in errors). */
export function counts(s) {
  const out = [];
  for (const p of ['registered', 'voted'])
    for (const k of [...LISTS, 'total']) for (const x of ['l', 'p', 'total']) out.push([`${p}.${k}.${x}`, s[p][k][x]]);
  for (const k of ['received', 'used', 'unused', 'damaged']) out.push(['ballots.' + k, s.ballots[k]]);
  s.votes.forEach((v, i) => {
    out.push([`votes[${i}].votes`, v.votes]);
    v.candidates.forEach((c, k) => out.push([`votes[${i}].candidates[${k}]`, c]));
    out.push([`votes[${i}].total`, v.total]);
  });
  for (const k of ['valid', 'invalid', 'cast']) out.push([k, s[k]]);
  return out;
}

export const RULES = {
  non_negative: 'Tidak ada angka negatif',
  sex_sum: 'L + P = Jumlah',
  list_sum: 'Baris Jumlah = DPT + DPTb + DPK',
  voted_within_registered: 'Pengguna hak pilih tidak melebihi pemilih terdaftar',
  cast_within_voters: 'Suara sah dan tidak sah tidak melebihi jumlah pemilih',
  ballots_sum: 'Surat suara diterima = digunakan + tidak digunakan + rusak/keliru',
  cast_equals_used: 'Suara sah dan tidak sah = surat suara digunakan',
  voted_equals_used: 'Pengguna hak pilih = surat suara digunakan',
  cast_sum: 'Suara sah + tidak sah = jumlah seluruh suara',
  choice_sum: 'Jumlah pilihan = suara partai + suara calon',
  valid_sum: 'Suara sah = jumlah suara semua pilihan',
  choice_within_voters: 'Suara satu pilihan tidak melebihi jumlah pemilih',
};

// A rule is checked once all its numbers are filled in (null = still empty), so the list stays quiet
// while the officer is still typing. With every field filled this is ConsistencyRules.check, rule for rule.
const full = (...xs) => xs.every(x => Number.isInteger(x));
const add = (...xs) => xs.reduce((a, b) => a + b, 0);

export function check(s) {
  const out = [];
  const v = (rule, field, detail) => out.push({ rule, field, detail });
  for (const [f, x] of counts(s)) if (x < 0) v('non_negative', f, `${f} bernilai ${x}`);
  for (const p of ['registered', 'voted'])
    for (const k of [...LISTS, 'total']) {
      const c = s[p][k];
      if (full(c.l, c.p, c.total) && c.l + c.p !== c.total)
        v('sex_sum', `${p}.${k}.total`, `L ${c.l} + P ${c.p} = ${c.l + c.p}, tertulis ${c.total}`);
    }
  for (const p of ['registered', 'voted'])
    for (const x of ['l', 'p', 'total']) {
      const parts = LISTS.map(k => s[p][k][x]), w = s[p].total[x];
      if (full(...parts, w) && add(...parts) !== w)
        v('list_sum', `${p}.total.${x}`, `DPT + DPTb + DPK = ${add(...parts)}, tertulis ${w}`);
    }
  for (const k of LISTS) {
    const a = s.voted[k].total, b = s.registered[k].total;
    if (full(a, b) && a > b) v('voted_within_registered', `voted.${k}.total`, `menggunakan hak pilih ${a} > terdaftar ${b}`);
  }
  const voters = s.registered.total.total, b = s.ballots;
  if (full(s.cast, voters) && s.cast > voters) v('cast_within_voters', 'cast', `jumlah suara ${s.cast} > pemilih ${voters}`);
  if (full(b.received, b.used, b.unused, b.damaged) && b.used + b.unused + b.damaged !== b.received)
    v('ballots_sum', 'ballots.received', `digunakan ${b.used} + tidak digunakan ${b.unused} + rusak ${b.damaged} = ${b.used + b.unused + b.damaged}, tertulis ${b.received}`);
  if (full(s.cast, b.used) && s.cast !== b.used) v('cast_equals_used', 'cast', `jumlah suara ${s.cast} ≠ surat suara digunakan ${b.used}`);
  const vt = s.voted.total.total;
  if (full(vt, b.used) && vt !== b.used) v('voted_equals_used', 'voted.total.total', `menggunakan hak pilih ${vt} ≠ surat suara digunakan ${b.used}`);
  if (full(s.valid, s.invalid, s.cast) && s.valid + s.invalid !== s.cast)
    v('cast_sum', 'cast', `sah ${s.valid} + tidak sah ${s.invalid} = ${s.valid + s.invalid}, tertulis ${s.cast}`);
  s.votes.forEach((c, i) => {
    if (full(c.votes, ...c.candidates, c.total) && add(c.votes, ...c.candidates) !== c.total)
      v('choice_sum', `votes[${i}].total`, `nomor ${c.choice}: ${c.votes} + calon ${add(...c.candidates)} = ${add(c.votes, ...c.candidates)}, tertulis ${c.total}`);
    if (full(c.total, voters) && c.total > voters)
      v('choice_within_voters', `votes[${i}].total`, `nomor ${c.choice} mendapat ${c.total} suara, pemilih TPS ${voters}`);
  });
  const totals = s.votes.map(c => c.total);
  if (full(...totals, s.valid) && add(...totals) !== s.valid)
    v('valid_sum', 'valid', `semua pilihan berjumlah ${add(...totals)}, tertulis ${s.valid}`);
  return out;
}
