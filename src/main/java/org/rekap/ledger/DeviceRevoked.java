package org.rekap.ledger;

import java.time.Instant;

/** An administrator's revocation of a device: nothing it signs is accepted after this entry. */
public record DeviceRevoked(Instant receivedAt, String device, String reason) implements Entry {
    public static final String TYPE = "revoke";

    @Override
    public String type() {
        return TYPE;
    }
}
