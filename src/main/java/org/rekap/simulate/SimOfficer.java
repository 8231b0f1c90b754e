package org.rekap.simulate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.rekap.officer.DeviceKeys;

/**
 * A simulated officer's phone: the TPS it serves, the enrolment code it was given, and its Ed25519 key, derived
 * from a seed so that runs are repeatable (a real phone makes a random, non-extractable key).
 */
public record SimOfficer(String tps, String code, byte[] seed, byte[] publicKey, String device) {
    public static SimOfficer of(String tps, String code, long runSeed) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256")
                    .digest(("rekap-sim-device|" + runSeed + "|" + tps).getBytes(StandardCharsets.UTF_8));
            byte[] pk = DeviceKeys.publicKey(seed);
            return new SimOfficer(tps, code, seed, pk, DeviceKeys.id(pk));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] sign(byte[] message) {
        return DeviceKeys.sign(seed, publicKey, message);
    }
}
