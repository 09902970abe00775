package io.cairn.host.cli;

import io.cairn.host.Host;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand that works on the host: opens it from the conf directory, runs, closes it.
 * Failures propagate to {@link CairnCli}'s handler, which turns them into exit codes.
 */
abstract class HostCommand implements Callable<Integer> {

    @ParentCommand
    private CairnCli cli;

    @Override
    public final Integer call() {
        try (Host host = Host.open(cli.confDir())) {
            host.settings().catalog().notice().ifPresent(notice -> err().println("cairn: note: " + notice));
            return run(host);
        }
    }

    /** @return the exit code */
    abstract int run(Host host);

    PrintStream out() {
        return cli.environment().out();
    }

    PrintStream err() {
        return cli.environment().err();
    }

    CliEnvironment environment() {
        return cli.environment();
    }

    /** How many -v were given. */
    int verbosity() {
        return cli.verbosity();
    }
}
