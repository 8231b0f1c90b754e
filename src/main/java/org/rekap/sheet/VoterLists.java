package org.rekap.sheet;

/**
 * One block of the form's voter data: the permanent list (DPT), voters transferred in (DPTb), voters added on the
 * day with ID only (DPK), and the total row over the three. Used for both "data pemilih" (registered) and
 * "pengguna hak pilih" (voted).
 */
public record VoterLists(SexCount dpt, SexCount dptb, SexCount dpk, SexCount total) {
    public static VoterLists of(SexCount dpt, SexCount dptb, SexCount dpk) {
        return new VoterLists(dpt, dptb, dpk, SexCount.of(dpt.l() + dptb.l() + dpk.l(), dpt.p() + dptb.p() + dpk.p()));
    }
}
