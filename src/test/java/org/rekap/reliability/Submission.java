package org.rekap.reliability;

import java.util.Base64;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;

/**
 * One signed sheet as a phone sends it. The request body is made once: a retry sends exactly the same bytes, as a
 * phone's outbox does, so the server must recognise it.
 */
record Submission(String id, TallySheet sheet, SimOfficer officer, String body) {
    static Submission of(String id, TallySheet sheet, SimOfficer officer) {
        var o = Json.MAPPER.createObjectNode();
        o.put("submissionId", id);
        o.set("sheet", SheetJson.write(sheet));
        o.put("device", officer.device());
        o.put("signature", Base64.getEncoder().encodeToString(officer.sign(SignedPayloads.sheet(id, sheet))));
        return new Submission(id, sheet, officer, o.toString());
    }

    byte[] signature() {
        return officer.sign(SignedPayloads.sheet(id, sheet));
    }
}
