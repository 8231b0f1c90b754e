package org.rekap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.ledger.Entry;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/** Canonical entry bytes: one encoding per entry, and anything else refused. */
class EntryCodecTest {
    private static final String PHOTO = "ab".repeat(32);

    /**
     * A two-voter TPS: DPT L 1 P 1; one man voted; 3 ballots = 1 used + 2 unused; pair 1 got the vote.
     */
    private static final SheetSubmitted SMALL = new SheetSubmitted("sub-1", Instant.parse("2024-02-14T13:05:00Z"),
            new TallySheet("11.01.01.2001.001", "ppwp",
                    VoterLists.of(SexCount.of(1, 1), SexCount.ZERO, SexCount.ZERO),
                    VoterLists.of(SexCount.of(1, 0), SexCount.ZERO, SexCount.ZERO),
                    new Ballots(3, 1, 2, 0),
                    List.of(ChoiceVotes.single(1, 1), ChoiceVotes.single(2, 0)),
                    1, 0, 1, List.of(PHOTO)),
            "0123456789abcdef0123456789abcdef", new byte[64]);

    /** SMALL written out by hand: keys sorted at every level, no whitespace. */
    private static final String SMALL_BYTES = """
            {"device":"0123456789abcdef0123456789abcdef","receivedAt":"2024-02-14T13:05:00Z",\
            "sheet":{"ballots":{"damaged":0,"received":3,"unused":2,"used":1},\
            "cast":1,"contest":"ppwp","invalid":0,\
            "photos":["abababababababababababababababababababababababababababababababab"],\
            "registered":{"dpk":{"l":0,"p":0,"total":0},"dpt":{"l":1,"p":1,"total":2},\
            "dptb":{"l":0,"p":0,"total":0},"total":{"l":1,"p":1,"total":2}},\
            "tps":"11.01.01.2001.001","valid":1,\
            "voted":{"dpk":{"l":0,"p":0,"total":0},"dpt":{"l":1,"p":0,"total":1},\
            "dptb":{"l":0,"p":0,"total":0},"total":{"l":1,"p":0,"total":1}},\
            "votes":[{"candidates":[],"choice":1,"total":1,"votes":1},\
            {"candidates":[],"choice":2,"total":0,"votes":0}]},\
            "signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",\
            "submissionId":"sub-1","type":"sheet","v":1}""";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSheetEntryEncodesToTheHandWrittenCanonicalBytes() {
        assertThat(new String(EntryCodec.encode(SMALL), StandardCharsets.UTF_8)).isEqualTo(SMALL_BYTES);
    }

    @Test
    void theEncodingHashesToASha256ComputedOutsideOurCode() throws Exception {
        // Computed on a shell from the hand-written bytes above (826 bytes):
        //   printf '%s' '{"device":"0123...","receivedAt":"2024-02-14T13:05:00Z","sheet":{...},"signature":"AAAA...",
        //     "submissionId":"sub-1","type":"sheet","v":1}' > entry.json && sha256sum entry.json
        byte[] encoded = EntryCodec.encode(SMALL);
        assertThat(encoded).hasSize(826);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        assertThat(hex).isEqualTo("7a1dc55468025037d8b2349eb0383c9c5836ae749c10275bc4f67190f2ac4ec0");
    }

    @Test
    void decodeGivesBackTheEncodedEntry() {
        Entry decoded = EntryCodec.decode(bytes(SMALL_BYTES));
        assertThat(decoded).isEqualTo(SMALL);
        assertThat(decoded.type()).isEqualTo("sheet");
    }

    @Test
    void aPartySheetWithSubSecondTimeRoundTrips() {
        // Party 1: 20 + 30 + 10 + 5 = 65; party 2: 15 + 40 + 25 = 80; valid 145, invalid 5, cast 150.
        SheetSubmitted e = new SheetSubmitted("f47ac10b-58cc-4372-a567-0e02b2c3d479",
                Instant.parse("2024-02-14T23:59:59.123Z"),
                new TallySheet("32.04.12.2003.901", "dpr-jabar-2",
                        VoterLists.of(SexCount.of(100, 110), SexCount.of(3, 2), SexCount.of(1, 1)),
                        VoterLists.of(SexCount.of(70, 75), SexCount.of(2, 1), SexCount.of(1, 1)),
                        new Ballots(222, 150, 70, 2),
                        List.of(ChoiceVotes.party(1, 20, List.of(30, 10, 5)), ChoiceVotes.party(2, 15, List.of(40, 25))),
                        145, 5, 150, List.of()),
                "fedcba9876543210fedcba9876543210", new byte[64]);
        byte[] encoded = EntryCodec.encode(e);
        assertThat(EntryCodec.decode(encoded)).isEqualTo(e);
        assertThat(EntryCodec.encode(EntryCodec.decode(encoded))).isEqualTo(encoded);
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .contains("\"receivedAt\":\"2024-02-14T23:59:59.123Z\"")
                .contains("{\"candidates\":[30,10,5],\"choice\":1,\"total\":65,\"votes\":20}")
                .doesNotContain(" ").doesNotContain("\n");
    }

    @Test
    void anExtraSpaceIsNotCanonical() {
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.replace("\"v\":1", "\"v\": 1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES + "\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
    }

    @Test
    void reorderedKeysAreNotCanonical() {
        // The same object with "type" first instead of last.
        String reordered = "{\"type\":\"sheet\"," + SMALL_BYTES.substring(1).replace(",\"type\":\"sheet\"", "");
        assertThat(reordered).hasSameSizeAs(SMALL_BYTES);
        assertThatThrownBy(() -> EntryCodec.decode(bytes(reordered)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
    }

    @Test
    void aTimeWithNeedlessZerosIsNotCanonical() {
        String zeros = SMALL_BYTES.replace("13:05:00Z", "13:05:00.000Z");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(zeros)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
    }

    @Test
    void anUnknownTypeIsRefused() {
        String vote = SMALL_BYTES.replace("\"type\":\"sheet\"", "\"type\":\"vote\"");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(vote)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown entry type 'vote'");
    }

    @Test
    void aWrongVersionIsRefused() {
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.replace("\"v\":1}", "\"v\":2}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.replace(",\"v\":1}", "}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }

    @Test
    void aMalformedSheetIsRefusedNamingTheField() {
        String castAsText = SMALL_BYTES.replace("\"cast\":1,", "\"cast\":\"1\",");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(castAsText)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sheet.cast");
        String noDpt = SMALL_BYTES.replace("\"dpt\":{\"l\":1,\"p\":1,\"total\":2},", "");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(noDpt)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sheet.registered.dpt");
    }

    @Test
    void anUnknownTopLevelFieldIsRefused() {
        String extra = SMALL_BYTES.replace("\"submissionId\"", "\"signature\":\"x\",\"submissionId\"");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(extra)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature");
    }

    @Test
    void aBadTimeAndNonJsonAreRefused() {
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.replace("2024-02-14T13:05:00Z", "14/02/2024"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receivedAt");
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.substring(0, 100))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EntryCodec.decode(bytes("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
        // A duplicated key would make two byte strings mean one entry.
        assertThatThrownBy(() -> EntryCodec.decode(bytes(SMALL_BYTES.replace("\"v\":1}", "\"v\":1,\"v\":1}"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyEncodedEntryDecodesToItselfEvenWithALoneSurrogate() {
        // A submission id holding the lone surrogate U+D800 must either be refused or survive the round trip;
        // it must not be logged as bytes that decode to a different entry (submission id "?").
        SheetSubmitted e = new SheetSubmitted("sub-\uD800", SMALL.receivedAt(), SMALL.sheet(), SMALL.device(), SMALL.signature());
        byte[] encoded;
        try {
            encoded = EntryCodec.encode(e);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(EntryCodec.decode(encoded)).isEqualTo(e);
    }
}
