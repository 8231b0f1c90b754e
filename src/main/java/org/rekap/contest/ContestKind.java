package org.rekap.contest;

/** The ballot shapes of an Indonesian general election; {@link #partyList} decides the sheet's shape. */
public enum ContestKind {
    /** President and vice-president: one national contest, choices are candidate pairs. */
    PPWP(false),
    /** Regional representatives: one contest per province, choices are individual candidates. */
    DPD(false),
    /** House of representatives: one contest per dapil, choices are parties with candidates. */
    DPR(true),
    DPRD_PROVINSI(true),
    DPRD_KABKOTA(true),
    /** A regional head election (Pilkada): candidate pairs like PPWP, in a smaller district. */
    PILKADA(false);

    private final boolean partyList;

    ContestKind(boolean partyList) {
        this.partyList = partyList;
    }

    /** Whether each choice is a party whose votes are party-only votes plus its candidates' votes. */
    public boolean partyList() {
        return partyList;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ContestKind fromId(String id) {
        return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
}
