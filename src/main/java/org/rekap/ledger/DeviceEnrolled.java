package org.rekap.ledger;

import java.time.Instant;

/**
 * A device's Ed25519 public key bound to a role and a scope: an officer's TPS code, or a reviewer's region (a
 * kecamatan). {@code device} is the key's id: the first 16 bytes of SHA-256 of the public key, in hex.
 */
public record DeviceEnrolled(Instant receivedAt, String device, byte[] publicKey, Role role, String scope) implements Entry {
    public static final String TYPE = "enrol";

    public DeviceEnrolled {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceEnrolled d && d.receivedAt.equals(receivedAt) && d.device.equals(device)
                && java.util.Arrays.equals(d.publicKey, publicKey) && d.role == role && d.scope.equals(scope);
    }

    @Override
    public int hashCode() {
        return device.hashCode();
    }
}
