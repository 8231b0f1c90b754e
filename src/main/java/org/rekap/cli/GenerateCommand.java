package org.rekap.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "TODO")
final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
