package org.rekap.ledger;

/** What an enrolled device may do: an officer (KPPS) submits its TPS's sheets; a reviewer (PPK) decides held ones. */
public enum Role {
    OFFICER,
    REVIEWER;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromId(String id) {
        return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
}
