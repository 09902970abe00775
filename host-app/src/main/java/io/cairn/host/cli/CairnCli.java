package io.cairn.host.cli;

import io.cairn.api.ApiVersion;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn}: the command line. Exit codes: 0 ok, 1 the operation failed, 2 bad usage or
 * configuration.
 */
@Command(name = "cairn",
        mixinStandardHelpOptions = true,
        versionProvider = CairnCli.Version.class,
        description = "Backs up block volumes through backend plugins and keeps a catalog of the backups.",
        subcommands = {
            PluginsCommand.class,
            ClustersCommand.class,
            BackupCommand.class,
            ListCommand.class,
            ShowCommand.class,
            RestoreCommand.class,
            RestoresCommand.class,
            DeleteCommand.class,
            ServeCommand.class,
            SchedulesCommand.class,
            PlanCommand.class,
            PruneCommand.class,
            DemoCommand.class,
            ReferenceCommand.class,
            CatalogToolCommand.class,
            WarmUpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the operation failed (backend error, unreachable cluster, busy volume, unknown backup)",
            "2:bad usage or configuration",
        })
public final class CairnCli implements Runnable {

    @Option(names = "--conf", paramLabel = "DIR",
            description = "Configuration directory (default: $CAIRN_CONF, else ./conf).")
    private Path conf;

    @Option(names = {"-v", "--verbose"},
            description = "Log what the host does (-v), or everything (-vv). Logs go to stderr.")
    private boolean[] verbose = new boolean[0];

    @Spec
    private CommandSpec spec;

    private final CliEnvironment environment;

    CairnCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(execute(CliEnvironment.system(), args));
    }

    /** Runs one command line and returns its exit code. */
    public static int execute(CliEnvironment environment, String... args) {
        CairnCli cli = new CairnCli(environment);
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(new java.io.PrintWriter(environment.out(), true));
        commandLine.setErr(new java.io.PrintWriter(environment.err(), true));
        commandLine.setExecutionStrategy(parseResult -> {
            LogLevels.apply(cli.verbosity());
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((failure, failedCommand, parseResult) -> {
            ErrorReport report = ErrorReport.of(failure);
            environment.err().println("cairn: " + report.message());
            if (cli.verbosity() >= 2) {
                failure.printStackTrace(environment.err());
            }
            return report.exitCode();
        });
        return commandLine.execute(args);
    }

    /** A bare {@code cairn} is a usage error: show what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    Path confDir() {
        return environment.confDir(conf);
    }

    int verbosity() {
        return verbose.length;
    }

    CliEnvironment environment() {
        return environment;
    }

    /** Prints the host's version and the plugin API it provides to plugins. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String host = CairnCli.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (host == null ? "(development build)" : host)
                    + ", plugin API " + ApiVersion.CURRENT};
        }
    }
}
