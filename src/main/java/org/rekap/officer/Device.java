package org.rekap.officer;

import org.rekap.ledger.Role;

/**
 * An enrolled device as the log's entries have made it: its key, role, scope, whether it was revoked, and the entry
 * that enrolled it (a retried enrolment is answered with that entry's receipt).
 */
public record Device(String id, byte[] publicKey, Role role, String scope, boolean revoked, long seq,
        java.time.Instant enrolledAt) {
    public Device revoke() {
        return new Device(id, publicKey, role, scope, true, seq, enrolledAt);
    }
}
