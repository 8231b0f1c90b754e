package org.rekap.publish;

import java.util.function.Supplier;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;

/**
 * Signs a checkpoint for each snapshot. The tree only grows by appending, so any two checkpoints it signs are
 * consistent with each other; the origin line is the signing key's name (e.g. {@code kpu.example/pemilu-2024}).
 */
public final class LogSigning {
    private final NoteSigner signer;
    private final Supplier<MerkleTree> tree;

    public LogSigning(NoteSigner signer, Supplier<MerkleTree> tree) {
        this.signer = signer;
        this.tree = tree;
    }

    /** The signed note of the checkpoint at {@code size} (which the tree must already cover). */
    byte[] checkpoint(long size) {
        MerkleTree t = tree.get();
        if (t.size() < size) throw new IllegalStateException("the tree covers " + t.size() + " entries, not " + size);
        return Checkpoints.sign(Checkpoint.of(signer.name(), size, t.root(size)), signer);
    }

    public String verifierKey() {
        return signer.verifier().verifierKey();
    }

    public String origin() {
        return signer.name();
    }
}
