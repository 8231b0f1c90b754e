package org.rekap.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/** One complete subtree's hash as a {@link HashStore} keeps it: see there for what {@code level} and {@code index} mean. */
public record StoredHash(int level, long index, byte[] hash) {
    public StoredHash {
        if (level < 0 || level > 63) throw new IllegalArgumentException("level " + level + " is outside 0..63");
        if (index < 0) throw new IllegalArgumentException("index " + index + " is negative");
        MerkleHash.requireHash(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredHash s && s.level == level && s.index == index && Arrays.equals(s.hash, hash);
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(level) * 31 + Long.hashCode(index)) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "StoredHash[" + level + "/" + index + " " + HexFormat.of().formatHex(hash) + "]";
    }
}
