package org.rekap.store;

import org.rekap.ledger.Role;

/** The outcome of presenting a code: what it enrols, or why it cannot ({@code unknown}, {@code used}, {@code expired}). */
public record CodeUse(Role role, String scope, String refusal) {
    public static CodeUse refused(String why) {
        return new CodeUse(null, null, why);
    }

    public boolean ok() {
        return refusal == null;
    }
}
