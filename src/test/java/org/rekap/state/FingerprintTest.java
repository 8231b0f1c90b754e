package org.rekap.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.rekap.codec.ContestsJson;
import org.rekap.contest.Election;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;

/**
 * The set-up fingerprint in saved state is a stored format: a start compares it with the saved one, and a different
 * fingerprint throws the saved state away. Its definition (SHA-256 of the contests JSON, then one line per node) must
 * not change when the way it is computed does.
 */
class FingerprintTest {
    @Test
    void isTheDigestOfTheContestsThenOneLinePerNode() throws Exception {
        for (Scale scale : new Scale[] {Scale.SMALL, Scale.PROVINCE}) {
            SyntheticElection synthetic = SyntheticElection.of(scale, 5);
            Election election = synthetic.election();
            String name = synthetic.setup().name();
            RegionTree tree = election.tree();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ContestsJson.write(new ContestsJson.Setup(name, tree.name(RegionTree.ROOT), election.contests())));
            for (int i = 0; i < tree.size(); i++)
                md.update((tree.code(i) + "\t" + tree.parent(i) + "\t" + tree.level(i) + "\t" + tree.name(i) + "\t"
                        + tree.dpt(i) + "\n").getBytes(StandardCharsets.UTF_8));
            assertThat(SavedState.fingerprint(name, election)).as(scale.toString()).isEqualTo(md.digest());
            assertThat(SavedState.fingerprint(name + "-other", election)).isNotEqualTo(SavedState.fingerprint(name, election));
        }
    }
}
