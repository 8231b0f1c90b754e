package org.rekap.verify;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.rekap.contest.Election;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.DeviceRevoked;
import org.rekap.ledger.Entry;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.officer.DeviceKeys;
import org.rekap.region.RegionTree;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.SheetShape;

/**
 * What an entry must be to fit the election, whatever came before it in the log: a sheet's shape, a corrected sheet's
 * TPS and contest, an enrolled key that is a valid Ed25519 point of the right id for a scope of the right kind. None of
 * it depends on the replay, so it runs in the fetching threads, on every core (an enrolment's key check costs about as
 * much as a signature check).
 */
final class EntryShape {
    private EntryShape() {}

    /** The entry's problems; empty when it fits. An enrolment's valid key is handed to {@code signatures}. */
    static List<FieldError> check(Entry entry, Election election, SignatureChecks signatures) {
        return switch (entry) {
            case SheetSubmitted s -> SheetShape.check(s.sheet(), election, "sheet.");
            case ReviewDecided r -> {
                if (r.corrected() == null) yield List.of();
                List<FieldError> shape = new ArrayList<>(SheetShape.check(r.corrected(), election, "corrected."));
                if (!r.corrected().tps().equals(r.tps()) || !r.corrected().contest().equals(r.contest()))
                    shape.add(new FieldError("corrected.tps", "mismatch", "the corrected sheet must be of TPS "
                            + r.tps() + " and contest " + r.contest()));
                yield shape;
            }
            case DeviceEnrolled d -> enrolment(d, election.tree(), signatures);
            case DeviceRevoked r -> List.of(); // who may revoke is the administrator's; that the device existed, the log's
        };
    }

    private static List<FieldError> enrolment(DeviceEnrolled d, RegionTree tree, SignatureChecks signatures) {
        byte[] key = d.publicKey();
        // As DeviceKeys.validPublicKey (a point of the prime-order group), keeping the decoded point for the signatures.
        Ed25519.PublicPoint point = key.length == DeviceKeys.PUBLIC_KEY_BYTES
                ? Ed25519.validatePublicKeyFullExport(key, 0) : null;
        if (point == null) return List.of(new FieldError("publicKey", "ed25519", "is not an Ed25519 public key"));
        signatures.validKey(key, point);
        if (!DeviceKeys.id(key).equals(d.device()))
            return List.of(new FieldError("device", "id", "device id " + d.device() + " is not the id of its key ("
                    + DeviceKeys.id(key) + ")"));
        int node = tree.index(d.scope());
        if (node < 0 || (d.role() == Role.OFFICER) != tree.isTps(node))
            return List.of(new FieldError("scope", "scope", "an " + d.role().id() + " is enrolled for "
                    + (d.role() == Role.OFFICER ? "a TPS" : "a region") + ", not '" + d.scope() + "'"));
        return List.of();
    }
}
