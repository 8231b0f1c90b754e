package org.rekap.officer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.Role;
import org.rekap.region.RegionTree;

/** The intake's packed tables against maps of records doing the same, over seeded random operations and saves. */
class PackedTablesTest {
    private static final RegionTree TREE = SyntheticElection.of(Scale.SMALL, 1).tree();

    @Test
    void devicesBehaveLikeAMapOfDeviceRecords() throws IOException {
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Devices t = new Devices(TREE);
            Map<String, Device> ref = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                int op = r.nextInt(10);
                if (op < 5 || ids.isEmpty()) {
                    Device d = device(r, ids.isEmpty() || r.nextInt(20) > 0 ? newId(r) : ids.get(r.nextInt(ids.size())));
                    t.put(d);
                    if (ref.put(d.id(), d) == null) ids.add(d.id());
                } else if (op < 6) {
                    String id = r.nextBoolean() ? ids.get(r.nextInt(ids.size())) : newId(r);
                    t.revoke(id);
                    ref.computeIfPresent(id, (k, d) -> d.revoke());
                } else if (op < 7) {
                    t = saveAndRead(t);
                }
                String probe = r.nextInt(4) == 0 ? newId(r) : ids.get(r.nextInt(ids.size()));
                assertSame(t.get(probe), ref.get(probe));
                assertThat(t.size()).isEqualTo(ref.size());
            }
            assertThat(t.get("not hex")).isNull();
            assertThat(t.get(ids.get(0).toUpperCase())).isNull();
            assertThat(t.get(null)).isNull();
        }
    }

    @Test
    void aDeviceWhoseIdOrScopeCannotBeOneIsRefused() {
        Devices t = new Devices(TREE);
        Device ok = device(new SplittableRandom(1), "0123456789abcdef0123456789abcdef");
        assertThatThrownBy(() -> t.put(new Device("dev-1", ok.publicKey(), Role.OFFICER, ok.scope(), false, 1, Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.put(new Device(ok.id(), ok.publicKey(), Role.OFFICER, "no-such-region", false, 1, Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(t.size()).isZero();
    }

    private static void assertSame(Device got, Device expected) {
        if (expected == null) {
            assertThat(got).isNull();
            return;
        }
        assertThat(got).usingRecursiveComparison().isEqualTo(expected);
    }

    private static String newId(SplittableRandom r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Device device(SplittableRandom r, String id) {
        byte[] key = new byte[32];
        r.nextBytes(key);
        Role role = r.nextBoolean() ? Role.OFFICER : Role.REVIEWER;
        String scope = TREE.code(role == Role.OFFICER ? TREE.regionCount() + r.nextInt(TREE.tpsCount()) : r.nextInt(TREE.regionCount()));
        Instant at = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1 << 30) - (1 << 29), r.nextInt(1_000_000_000));
        return new Device(id, key, role, scope, r.nextInt(8) == 0, r.nextLong(1L << 40), at);
    }

    private static Devices saveAndRead(Devices t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        Devices read = new Devices(TREE);
        read.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        return read;
    }

    /** What a submission row holds, for the reference map. */
    private record Row(long seq, Instant at, byte[] digest) {}

    @Test
    void submissionsBehaveLikeAMapOfIdsToTheirFirstAcceptance() throws IOException {
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Submissions t = new Submissions();
            Map<String, Row> ref = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (int step = 0; step < 4000; step++) {
                int op = r.nextInt(10);
                if (op < 6 || ids.isEmpty()) {
                    String id = ids.isEmpty() || r.nextInt(30) > 0 ? newSubmissionId(r) : ids.get(r.nextInt(ids.size()));
                    byte[] digest = new byte[Submissions.DIGEST];
                    r.nextBytes(digest);
                    Row row = new Row(r.nextLong(1L << 40), Instant.ofEpochSecond(r.nextLong(1L << 34), r.nextInt(1_000_000_000)), digest);
                    t.put(id, row.seq(), row.at(), digest.clone());
                    if (ref.put(id, row) == null) ids.add(id);
                } else if (op < 7) {
                    t = saveAndRead(t);
                }
                String probe = r.nextInt(4) == 0 ? newSubmissionId(r) : ids.get(r.nextInt(ids.size()));
                int found = t.find(probe);
                Row expected = ref.get(probe);
                assertThat(found >= 0).as("seed %d id %s", seed, probe).isEqualTo(expected != null);
                if (expected != null) {
                    assertThat(t.seq(found)).isEqualTo(expected.seq());
                    assertThat(t.receivedAt(found)).isEqualTo(expected.at());
                    assertThat(t.digestIs(found, expected.digest())).isTrue();
                    byte[] other = expected.digest().clone();
                    other[r.nextInt(other.length)] ^= 1;
                    assertThat(t.digestIs(found, other)).isFalse();
                }
                assertThat(t.size()).isEqualTo(ref.size());
            }
        }
    }

    /** Ids as phones make them: UUIDs, short numbers, text with characters beyond ASCII, and the empty string. */
    private static String newSubmissionId(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> new java.util.UUID(r.nextLong(), r.nextLong()).toString();
            case 1 -> Integer.toString(r.nextInt(2000));
            case 2 -> "kirim-" + r.nextInt(500) + "-\u00e9\u4e2d";
            default -> r.nextInt(50) == 0 ? "" : "s" + r.nextInt(100_000);
        };
    }

    private static Submissions saveAndRead(Submissions t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        Submissions read = new Submissions();
        read.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        return read;
    }
}
