package org.rekap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rekap} command: one verb per job. */
@Command(
        name = "rekap",
        mixinStandardHelpOptions = true,
        version = "rekap 0.1.0",
        description = {
            "Counts and publishes an election's polling-station (TPS) results in real time.",
            "Every number traces to a tally sheet in an append-only log; anyone can recompute it."
        },
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            GenerateCommand.class,
            ImportCommand.class,
            SimulateCommand.class,
            KeygenCommand.class,
            EnrollCommand.class,
            RevokeCommand.class,
            VerifyCommand.class,
            ExportCommand.class,
            MirrorCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  rekap demo                     a live election at http://localhost:8080/",
            "  rekap generate --scale national --seed 1 --out /tmp/national",
            "  rekap verify http://localhost:8080/",
            "  rekap export --data ./data --to ./site",
            "  rekap mirror --from http://origin:8080/ --port 8090",
            "  rekap import --data ./data --regions regions.csv --contests contests.json",
            "  rekap serve --data ./data --port 8080",
            "",
            "Run 'rekap <verb> --help' for each verb's options."
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // A user never sees a stack trace: name the problem and what to do next.
            cmd.getErr().println("rekap " + cmd.getCommandName() + ": " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("REKAP_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            else cmd.getErr().println("(set REKAP_DEBUG=1 for details)");
            return 1;
        });
        return cl;
    }
}
