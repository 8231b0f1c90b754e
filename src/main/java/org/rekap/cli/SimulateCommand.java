package org.rekap.cli;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.simulate.OfficerSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Acts as many officers: submits the sheets of a synthetic election to a running server over HTTP.",
            "The server must serve the same election (same --scale and --seed)."},
        footer = {"", "Examples:",
            "  rekap generate --scale province --seed 7 --out /tmp/p && rekap import --data /tmp/pd \\",
            "      --regions /tmp/p/regions.csv --contests /tmp/p/contests.json && rekap serve --data /tmp/pd &",
            "  rekap enroll --data /tmp/pd --out /tmp/codes.csv",
            "  rekap simulate --url http://localhost:8081 --scale province --seed 7 --codes /tmp/codes.csv --rate 500"})
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:8081", description = "the server's officer side (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--scale", defaultValue = "small", description = "small, province or national (default: ${DEFAULT-VALUE})")
    String scale;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the synthetic election (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "sheets per second; 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--codes", required = true, description = "officer codes CSV from 'rekap enroll' (for the same election)")
    java.nio.file.Path codes;

    @Option(names = "--limit", defaultValue = "0", description = "submit at most this many sheets; 0 = all (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
        SyntheticElection election = SyntheticElection.of(Scale.parse(scale), seed);
        var officers = SyntheticJobs.officers(Codes.readOfficerCodes(codes), seed);
        List<OfficerSimulator.Job> jobs = SyntheticJobs.all(election, seed, officers);
        if (limit > 0 && limit < jobs.size()) jobs = jobs.subList(0, limit);
        OfficerSimulator sim = new OfficerSimulator(url, concurrency, rate);
        Progress enrolling = new Progress("phones enrolled", officers.size());
        OfficerSimulator.Result enrolled = new OfficerSimulator(url, concurrency, 0).enrol(officers.values(), enrolling::add);
        enrolling.finish();
        System.out.printf("enrolled %d of %d phones (%d refused: a used code is refused)%n", enrolled.accepted(), officers.size(), enrolled.refused());
        Progress progress = new Progress("sheets submitted", jobs.size());
        OfficerSimulator.Result r = sim.run(jobs, progress::add);
        progress.finish();
        System.out.printf("accepted %d, refused %d, failed %d, retries %d, %.1f s, %.0f sheets/s%n", r.accepted(),
                r.refused(), r.failed(), r.retries(), r.took().toMillis() / 1000.0, jobs.size() * 1000.0 / Math.max(1, r.took().toMillis()));
        return r.failed() == 0 ? 0 : 1;
    }
}
