package org.rekap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;

/**
 * The direct canonical encoders of a sheet, its signed payload and its log entry give exactly the bytes that the
 * general {@link CanonicalJson} writer gives for the same values as a JSON tree (built here, in the test).
 */
class CanonicalSheetTest {
    private static final byte[] SIGNATURE = new byte[64];

    static {
        for (int i = 0; i < SIGNATURE.length; i++) SIGNATURE[i] = (byte) (i * 37);
    }

    /** Every sheet of the small synthetic election, every contest (party sheets with candidates, anomalies too). */
    private static List<TallySheet> sheets() {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 3);
        RegionTree tree = e.tree();
        List<TallySheet> out = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++)
            for (Contest c : e.election().contests())
                if (e.election().covers(c, t)) out.add(e.sheet(t, c));
        return out;
    }

    private static byte[] viaTree(SheetSubmitted s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("v", EntryCodec.VERSION);
        o.put("type", "sheet");
        o.put("submissionId", s.submissionId());
        o.put("signature", java.util.Base64.getEncoder().encodeToString(s.signature()));
        o.set("sheet", SheetJson.write(s.sheet()));
        o.put("receivedAt", s.receivedAt().toString());
        o.put("device", s.device());
        return CanonicalJson.write(o);
    }

    private static byte[] signedViaTree(String id, TallySheet sheet) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("submissionId", id);
        o.set("sheet", SheetJson.write(sheet));
        o.put("purpose", "rekap-sheet-v1");
        return CanonicalJson.write(o);
    }

    @Test
    void everySyntheticSheetEncodesAsTheTreeDoes() {
        List<TallySheet> sheets = sheets();
        assertThat(sheets.size()).isGreaterThan(100);
        assertThat(sheets.stream().anyMatch(s -> s.votes().stream().anyMatch(v -> !v.candidates().isEmpty()))).isTrue();
        Instant at = Instant.parse("2024-02-14T13:05:00.120Z");
        int i = 0;
        for (TallySheet sheet : sheets) {
            byte[] canonical = SheetJson.canonical(sheet);
            assertThat(canonical).isEqualTo(CanonicalJson.write(SheetJson.write(sheet)));
            String id = "sub-" + i++;
            assertThat(SignedPayloads.sheet(id, sheet)).isEqualTo(signedViaTree(id, sheet));
            SheetSubmitted entry = new SheetSubmitted(id, at.plusMillis(i), sheet, "0123456789abcdef0123456789abcdef", SIGNATURE);
            assertThat(EntryCodec.encode(entry)).isEqualTo(viaTree(entry)).isEqualTo(EntryCodec.encode(entry, canonical));
            assertThat(EntryCodec.decode(EntryCodec.encode(entry))).isEqualTo(entry);
        }
    }

    @Test
    void stringsThatNeedEscapingEncodeAsTheTreeDoes() {
        TallySheet base = sheets().getFirst();
        for (String odd : List.of("a\"b\\c", "tab\there\nnew\rline\b\f", "ctl\u0001\u001f\u007f", "é ü 中文",
                "emoji \uD83D\uDDF3 vote", "/slash</script>")) {
            TallySheet sheet = new TallySheet(odd, odd, base.registered(), base.voted(), base.ballots(), base.votes(),
                    base.valid(), base.invalid(), base.cast(), List.of(odd, odd + "2"));
            assertThat(SheetJson.canonical(sheet)).isEqualTo(CanonicalJson.write(SheetJson.write(sheet)));
            SheetSubmitted entry = new SheetSubmitted(odd, Instant.EPOCH, sheet, odd, SIGNATURE);
            assertThat(EntryCodec.encode(entry)).isEqualTo(viaTree(entry));
            assertThat(SignedPayloads.sheet(odd, sheet)).isEqualTo(signedViaTree(odd, sheet));
        }
    }

    @Test
    void aLoneSurrogateIsRefusedByBothWriters() {
        TallySheet base = sheets().getFirst();
        TallySheet sheet = new TallySheet("tps-\uDC00", base.contest(), base.registered(), base.voted(), base.ballots(),
                base.votes(), base.valid(), base.invalid(), base.cast(), base.photos());
        assertThatThrownBy(() -> SheetJson.canonical(sheet)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> CanonicalJson.write(SheetJson.write(sheet))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
    }
}
