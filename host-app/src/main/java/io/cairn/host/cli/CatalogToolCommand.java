package io.cairn.host.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn catalog ...}: work on the catalog database itself (not to be confused with {@link CatalogCommand}, the base of commands that read it). */
@Command(mixinStandardHelpOptions = true, name = "catalog", description = "Work on the catalog database itself.",
        subcommands = {CatalogCopyCommand.class})
final class CatalogToolCommand implements Runnable {

    @ParentCommand
    private CairnCli cli;

    @Spec
    private CommandSpec spec;

    /** A bare {@code cairn catalog} is a usage error: show what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a catalog command (copy)");
    }

    CairnCli cli() {
        return cli;
    }
}
