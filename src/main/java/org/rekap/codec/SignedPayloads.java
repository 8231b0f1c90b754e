package org.rekap.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rekap.sheet.TallySheet;

/**
 * The exact bytes a device signs, one kind per purpose so a signature can never be replayed as another: canonical
 * JSON (docs/formats.md) with a {@code purpose} field. Officers' phones build the same bytes in JavaScript.
 */
public final class SignedPayloads {
    private SignedPayloads() {}

    /** What an officer signs to submit a sheet. */
    public static byte[] sheet(String submissionId, TallySheet sheet) {
        return sheet(submissionId, SheetJson.canonical(sheet));
    }

    /** The same from the sheet's canonical bytes ({@link SheetJson#canonical}), which the log entry reuses. */
    public static byte[] sheet(String submissionId, byte[] canonicalSheet) {
        return new CanonicalWriter(canonicalSheet.length + 200).raw("{\"purpose\":\"rekap-sheet-v1\",\"sheet\":")
                .raw(canonicalSheet).raw(",\"submissionId\":").string(submissionId).raw("}").toByteArray();
    }

    /** What a reviewer signs to decide on the sheet at log position {@code sheetSeq}. */
    public static byte[] review(String decisionId, String tps, String contest, long sheetSeq, String verdict,
            TallySheet corrected, String reason) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("purpose", "rekap-review-v1");
        o.put("decisionId", decisionId);
        o.put("tps", tps);
        o.put("contest", contest);
        o.put("sheetSeq", sheetSeq);
        o.put("verdict", verdict);
        if (corrected != null) o.set("corrected", SheetJson.write(corrected));
        o.put("reason", reason);
        return CanonicalJson.write(o);
    }

    /** What an officer signs to upload a photo of a sheet page. */
    public static byte[] photo(String sha256) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("purpose", "rekap-photo-v1");
        o.put("sha256", sha256);
        return CanonicalJson.write(o);
    }
}
