package org.rekap.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rekap.contest.Contest;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;
import org.rekap.simulate.OfficerSimulator;
import org.rekap.simulate.SimOfficer;

/** Every sheet of a synthetic election as a simulator job, in a seeded random order so results arrive everywhere. */
final class SyntheticJobs {
    private SyntheticJobs() {}

    /** One simulated phone per TPS that has a code. */
    static Map<String, SimOfficer> officers(Map<String, String> codeByTps, long seed) {
        Map<String, SimOfficer> out = new LinkedHashMap<>();
        codeByTps.forEach((tps, code) -> out.put(tps, SimOfficer.of(tps, code, seed)));
        return out;
    }

    static List<OfficerSimulator.Job> all(SyntheticElection e, long seed, Map<String, SimOfficer> officers) {
        RegionTree tree = e.tree();
        List<OfficerSimulator.Job> jobs = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            SimOfficer officer = officers.get(tree.code(t));
            if (officer == null) continue;
            for (Contest c : e.election().contestsAt(t))
                jobs.add(new OfficerSimulator.Job("sim-" + seed + "-" + tree.code(t) + "-" + c.id(), e.sheet(t, c), officer));
        }
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        for (int i = jobs.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            var tmp = jobs.get(i);
            jobs.set(i, jobs.get(j));
            jobs.set(j, tmp);
        }
        return jobs;
    }
}
