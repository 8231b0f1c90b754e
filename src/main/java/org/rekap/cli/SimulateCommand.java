package org.rekap.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "simulate", mixinStandardHelpOptions = true, description = "TODO")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
