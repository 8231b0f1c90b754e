package org.rekap.officer;

import org.rekap.ledger.Role;

/** An enrolled device as the log's entries have made it: its key, role, scope, and whether it was revoked. */
public record Device(String id, byte[] publicKey, Role role, String scope, boolean revoked) {
    public Device revoke() {
        return new Device(id, publicKey, role, scope, true);
    }
}
