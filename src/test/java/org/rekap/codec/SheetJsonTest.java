package org.rekap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/** Parsing a sheet: every bad field named by its full path, all at once. */
class SheetJsonTest {
    /**
     * DPT L 120 P 130, DPTb 2/1, DPK 1/0; voted 100/110, 2/1, 1/0 (214); ballots 260 = 214 + 45 + 1;
     * party 1: 20 + 30 + 10 + 5 = 65, party 2: 15 + 40 + 25 = 80, party 3: 5 + 50 + 10 = 65; valid 210 + invalid 4.
     */
    private static final TallySheet SHEET = new TallySheet("11.01.01.2001.001", "dpr-aceh-1",
            VoterLists.of(SexCount.of(120, 130), SexCount.of(2, 1), SexCount.of(1, 0)),
            VoterLists.of(SexCount.of(100, 110), SexCount.of(2, 1), SexCount.of(1, 0)),
            new Ballots(260, 214, 45, 1),
            List.of(ChoiceVotes.party(1, 20, List.of(30, 10, 5)), ChoiceVotes.party(2, 15, List.of(40, 25)),
                    ChoiceVotes.party(3, 5, List.of(50, 10))),
            210, 4, 214, List.of("0123456789abcdef".repeat(4)));

    /** The JSON of the correct sheet, as a fresh tree to break. */
    private static ObjectNode json() {
        return SheetJson.write(SHEET);
    }

    private static ObjectNode at(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    private static List<FieldError> errors(JsonNode node) {
        SheetJson.Parsed parsed = SheetJson.read(node, "sheet");
        if (!parsed.errors().isEmpty()) assertThat(parsed.sheet()).isNull();
        return parsed.errors();
    }

    @Test
    void theWrittenJsonReadsBackAsTheSameSheet() throws Exception {
        SheetJson.Parsed parsed = SheetJson.read(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(json())), "sheet");
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.sheet()).isEqualTo(SHEET);
    }

    @Test
    void candidatesAndPhotosMayBeLeftOut() throws Exception {
        String text = """
                {"tps":"11.01.01.2001.001","contest":"ppwp",
                 "registered":{"dpt":{"l":1,"p":1,"total":2},"dptb":{"l":0,"p":0,"total":0},
                               "dpk":{"l":0,"p":0,"total":0},"total":{"l":1,"p":1,"total":2}},
                 "voted":{"dpt":{"l":1,"p":0,"total":1},"dptb":{"l":0,"p":0,"total":0},
                          "dpk":{"l":0,"p":0,"total":0},"total":{"l":1,"p":0,"total":1}},
                 "ballots":{"received":3,"used":1,"unused":2,"damaged":0},
                 "votes":[{"choice":1,"votes":1,"total":1},{"choice":2,"votes":0,"total":0}],
                 "valid":1,"invalid":0,"cast":1}""";
        SheetJson.Parsed parsed = SheetJson.read(Json.MAPPER.readTree(text), "sheet");
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.sheet().votes()).containsExactly(ChoiceVotes.single(1, 1), ChoiceVotes.single(2, 0));
        assertThat(parsed.sheet().photos()).isEmpty();
        assertThat(parsed.sheet().voters()).isEqualTo(2);
    }

    @Test
    void aMissingCountIsNamedByItsFullPath() {
        ObjectNode o = json();
        at(o, "/registered/dpt").remove("l");
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.registered.dpt.l", "required"));
    }

    @Test
    void aMissingBlockIsNamedByItsPath() {
        ObjectNode o = json();
        o.remove("ballots");
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.ballots", "required"));
    }

    @Test
    void aStringInsteadOfANumberIsATypeError() {
        ObjectNode o = json();
        o.put("cast", "214");
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule).containsExactly(tuple("sheet.cast", "type"));
    }

    @Test
    void aFractionIsNotAWholeNumber() throws Exception {
        ObjectNode o = json();
        // Parsed from text as a client would send it: 209.5 and also 210.0 are not whole numbers on the wire.
        at(o, "/voted/dpt").set("total", Json.MAPPER.readTree("209.5"));
        at(o, "/ballots").set("used", Json.MAPPER.readTree("214.0"));
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.voted.dpt.total", "type"), tuple("sheet.ballots.used", "type"));
    }

    @Test
    void aNumberBeyond32BitsIsARangeError() throws Exception {
        ObjectNode o = json();
        at(o, "/ballots").set("received", Json.MAPPER.readTree("2147483648")); // 2^31
        ((ObjectNode) o.at("/votes/1")).set("votes", Json.MAPPER.readTree("-2147483649"));
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.ballots.received", "range"), tuple("sheet.votes[1].votes", "range"));
    }

    @Test
    void theLargest32BitNumberIsStillRead() throws Exception {
        ObjectNode o = json();
        at(o, "/ballots").set("received", Json.MAPPER.readTree("2147483647"));
        assertThat(SheetJson.read(o, "sheet").sheet().ballots().received()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aBadCandidateCountIsNamedByItsIndex() {
        ObjectNode o = json();
        ((ArrayNode) o.at("/votes/2/candidates")).set(1, "ten");
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet.votes[2].candidates[1]", "type"));
    }

    @Test
    void anUnknownFieldIsRefusedWherever() {
        ObjectNode o = json();
        o.put("signature", "x");
        at(o, "/ballots").put("spoiled", 1);
        ((ObjectNode) o.at("/votes/0")).put("name", "Partai Satu");
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule).containsExactlyInAnyOrder(
                tuple("sheet.signature", "unknown_field"), tuple("sheet.ballots.spoiled", "unknown_field"),
                tuple("sheet.votes[0].name", "unknown_field"));
    }

    @Test
    void aPhotoHashMustBe64LowerCaseHexDigits() {
        ObjectNode o = json();
        ArrayNode photos = (ArrayNode) o.get("photos");
        photos.add("0123456789ABCDEF".repeat(4));   // upper case
        photos.add("abc");                          // too short
        photos.add(17);                             // not a string
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule).containsExactly(
                tuple("sheet.photos[1]", "sha256"), tuple("sheet.photos[2]", "sha256"), tuple("sheet.photos[3]", "sha256"));
    }

    @Test
    void aSheetThatIsNotAnObjectIsOneError() throws Exception {
        assertThat(errors(Json.MAPPER.readTree("[1,2]"))).extracting(FieldError::field, FieldError::rule)
                .containsExactly(tuple("sheet", "type"));
        assertThat(errors(null)).extracting(FieldError::field, FieldError::rule).containsExactly(tuple("sheet", "required"));
    }

    @Test
    void everyErrorIsReportedAtOnce() throws Exception {
        ObjectNode o = json();
        at(o, "/registered/dpt").remove("l");                                // missing
        o.put("cast", "214");                                                // string
        at(o, "/voted/dpk").set("p", Json.MAPPER.readTree("0.5"));           // fraction
        at(o, "/ballots").set("unused", Json.MAPPER.readTree("99999999999")); // beyond 32 bits
        o.put("extra", true);                                                // unknown field
        ((ArrayNode) o.get("photos")).set(0, "not-a-hash");                  // bad photo hash
        o.put("tps", "");                                                    // empty text
        assertThat(errors(o)).extracting(FieldError::field, FieldError::rule).containsExactlyInAnyOrder(
                tuple("sheet.registered.dpt.l", "required"),
                tuple("sheet.cast", "type"),
                tuple("sheet.voted.dpk.p", "type"),
                tuple("sheet.ballots.unused", "range"),
                tuple("sheet.extra", "unknown_field"),
                tuple("sheet.photos[0]", "sha256"),
                tuple("sheet.tps", "length"));
        assertThat(errors(o)).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }
}
