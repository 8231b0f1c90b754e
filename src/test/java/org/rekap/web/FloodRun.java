package org.rekap.web;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.guard.GuardLimits;
import org.rekap.region.RegionTree;
import org.rekap.reliability.Flood;

/**
 * A {@link Flood} against a live election served with the production limits ({@link GuardLimits#publicSide()},
 * {@link GuardLimits#officerSide()}): used by the test suite (small and short) and by {@code bench/flood.sh}.
 */
final class FloodRun {
    private FloodRun() {}

    static List<Flood.Phase> run(Path dir, Scale scale, Flood flood) throws Exception {
        try (LiveElection live = new LiveElection(dir, scale, 5, Duration.ofMillis(250),
                c -> c.withLimits(GuardLimits.publicSide(), GuardLimits.officerSide()))) {
            RegionTree tree = live.election.tree();
            int needed = (int) Math.ceil(2 * flood.phase().toSeconds() * flood.officerAddresses()
                    * flood.sheetsPerAddressPerSecond()) + 10;
            Queue<Flood.Submission> sheets = new ConcurrentLinkedQueue<>();
            // Phones enrol before polling day; here one at a time, within the officer side's per-address budget.
            for (int t = tree.regionCount(); t < tree.size() && sheets.size() < needed; t++) {
                for (Contest c : live.election.election().contestsAt(t)) {
                    String id = "flood-" + tree.code(t) + "-" + c.id();
                    sheets.add(new Flood.Submission(live.submission(id, live.election.sheet(t, c))));
                }
            }
            if (sheets.size() < needed)
                throw new IllegalStateException("the election has " + sheets.size() + " sheets; the flood needs " + needed);
            List<String> documents = new ArrayList<>();
            documents.add("/api/v1/election.json");
            for (int r = 0; r < Math.min(tree.regionCount(), 200); r++)
                for (Contest c : live.election.election().contestsAt(r)) documents.add("/api/v1/regions/" + tree.code(r) + "/" + c.id() + ".json");
            return flood.run(live.publicUri("/"), live.officerUri("/"), documents, sheets);
        }
    }
}
