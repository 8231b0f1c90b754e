// UI strings: Bahasa Indonesia by default, English as a toggle. {0}, {1}... are filled in by t().
const S = {
  id: {
    title: 'Rekap: hasil penghitungan suara', updated: 'Diperbarui', logsize: 'ukuran log', searchLabel: 'Cari wilayah atau kode',
    searchPh: 'mis. nama desa atau 32.04', crumbs: 'Jalur wilayah', loading: 'Memuat…', contest: 'Pemilihan',
    versions: 'Versi', region: 'Wilayah', children: 'Wilayah di bawahnya', tps: 'TPS', data: 'Data', dlAll: 'Unduh per TPS',
    footer: 'Setiap angka berasal dari formulir C.Hasil yang tercatat dalam log yang hanya bisa ditambah.',
    langBtn: 'English', langName: 'Ganti bahasa ke English',
    progress: 'TPS masuk {0} dari {1} ({2})', heldN: '{0} perlu diperiksa', sums: 'Suara sah {0} · tidak sah {1} · DPT {2}',
    tpsIn: 'TPS masuk', valid: 'Suara sah', held: 'perlu diperiksa', counted: 'masuk', none: 'belum', corrected: 'dikoreksi',
    stNone: 'Belum masuk', stCounted: 'Masuk dalam hitungan', stHeld: 'Perlu diperiksa: tidak dihitung sampai diperiksa',
    correctedNote: 'Dikoreksi oleh pemeriksa', dpt: 'DPT', fDpt: 'DPT (L/P/jumlah)', fDptb: 'DPTb', fDpk: 'DPK',
    fReg: 'Pemilih (jumlah)', fVDpt: 'Pengguna hak pilih DPT', fVDptb: 'Pengguna DPTb', fVDpk: 'Pengguna DPK',
    fVTot: 'Pengguna (jumlah)', fBallots: 'Surat suara diterima / digunakan / sisa / rusak', invalid: 'Suara tidak sah',
    cast: 'Jumlah suara', kSubmitted: 'dikirim', kCorrected: 'dikoreksi', kAccepted: 'diterima', by: 'oleh',
    photos: 'Foto formulir', noPhotos: 'Belum ada foto.', noSheet: 'Formulir belum masuk.',
    verify: 'Verifikasi', verifying: 'Memeriksa…', verified: 'Terverifikasi: entri #{0} ada di log bertanda tangan berukuran {1} (akar {2}…).',
    failed: 'Verifikasi gagal: {0}', vSig: 'tanda tangan checkpoint tidak sah', vKey: 'kunci verifikasi tidak dikenal',
    vNoSig: 'checkpoint tidak ditandatangani kunci pemilu ini', vOrigin: 'asal checkpoint berbeda', vLeaf: 'hash entri tidak cocok',
    vEntry: 'entri bukan formulir TPS ini', vPath: 'bukti inklusi tidak menghasilkan akar checkpoint', vSize: 'checkpoint lebih lama dari entri',
    vNoSeq: 'TPS ini belum punya formulir', vNoCrypto: 'peramban tidak mendukung Ed25519',
    map: 'Peta provinsi: warna = pilihan teratas', mapNone: 'belum ada suara', lead: 'teratas',
    sortBy: 'Urutkan menurut {0}', errLoad: 'Gagal memuat: {0}. Mencoba lagi…',
  },
  en: {
    title: 'Rekap: vote count results', updated: 'Updated', logsize: 'log size', searchLabel: 'Search a region or code',
    searchPh: 'e.g. a village name or 32.04', crumbs: 'Region path', loading: 'Loading…', contest: 'Contest',
    versions: 'Versions', region: 'Region', children: 'Regions below', tps: 'Polling stations', data: 'Data', dlAll: 'Download per TPS',
    footer: 'Every number comes from a C.Hasil tally sheet recorded in an append-only log.',
    langBtn: 'Bahasa Indonesia', langName: 'Switch language to Bahasa Indonesia',
    progress: 'Polling stations in: {0} of {1} ({2})', heldN: '{0} to be reviewed', sums: 'Valid votes {0} · invalid {1} · voters {2}',
    tpsIn: 'Stations in', valid: 'Valid votes', held: 'to be reviewed', counted: 'in', none: 'not yet', corrected: 'corrected',
    stNone: 'Not in yet', stCounted: 'Counted', stHeld: 'To be reviewed: not counted until reviewed',
    correctedNote: 'Corrected by a reviewer', dpt: 'Voters', fDpt: 'Registered voters (M/F/total)', fDptb: 'Added voters (DPTb)',
    fDpk: 'Special voters (DPK)', fReg: 'Voters (total)', fVDpt: 'Registered voters who voted', fVDptb: 'Added voters who voted',
    fVDpk: 'Special voters who voted', fVTot: 'Voted (total)', fBallots: 'Ballots received / used / unused / damaged',
    invalid: 'Invalid votes', cast: 'Votes cast', kSubmitted: 'submitted', kCorrected: 'corrected', kAccepted: 'accepted', by: 'by',
    photos: 'Photos of the sheet', noPhotos: 'No photo yet.', noSheet: 'No sheet yet.',
    verify: 'Verify', verifying: 'Checking…', verified: 'Verified: entry #{0} is in the signed log of size {1} (root {2}…).',
    failed: 'Verification failed: {0}', vSig: 'the checkpoint signature is invalid', vKey: 'unknown verifier key',
    vNoSig: 'the checkpoint is not signed by this election\'s key', vOrigin: 'the checkpoint origin differs', vLeaf: 'the entry hash does not match',
    vEntry: 'the entry is not this station\'s sheet', vPath: 'the inclusion proof does not give the checkpoint root', vSize: 'the checkpoint is older than the entry',
    vNoSeq: 'this station has no sheet yet', vNoCrypto: 'this browser does not support Ed25519',
    map: 'Province map: colour = leading choice', mapNone: 'no votes yet', lead: 'leading',
    sortBy: 'Sort by {0}', errLoad: 'Could not load: {0}. Retrying…',
  },
};

export let lang = (() => { try { return localStorage.getItem('rekap.lang') === 'en' ? 'en' : 'id'; } catch { return 'id'; } })();
export const locale = () => lang === 'en' ? 'en-GB' : 'id-ID';
export function t(key, ...args) { return (S[lang][key] ?? key).replace(/\{(\d)\}/g, (_, i) => args[i]); }

export function setLang(l) {
  lang = l;
  try { localStorage.setItem('rekap.lang', l); } catch { /* private mode */ }
  applyStatic();
}

/** Fills every element marked data-t (text), data-t-ph (placeholder) or data-t-label (aria-label). */
export function applyStatic() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-t-ph]')) el.placeholder = t(el.dataset.tPh);
  for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  const b = document.getElementById('lang');
  b.textContent = t('langBtn');
  b.lang = lang === 'en' ? 'id' : 'en';
  b.setAttribute('aria-label', t('langName'));
}
