package io.cairn.host.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand: its streams, its environment and the conf directory. Subclasses open the part of the
 * host they need ({@link HostCommand}, {@link CatalogCommand}, {@link BackendsCommand}) and close it when
 * done. Failures propagate to {@link CairnCli}'s handler, which turns them into exit codes.
 */
abstract class CliCommand implements Callable<Integer> {

    @ParentCommand
    private CairnCli cli;

    Path confDir() {
        return cli.confDir();
    }

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
