package io.cairn.host.cli;

import io.cairn.api.ApiVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the operation failed (backend error, unreachable cluster, busy volume, unknown backup)",
            "2:bad usage or configuration",
        })
public final class CairnCli implements Runnable {

    /**
     * The commands, in the order help lists them. They are not in {@code @Command(subcommands = ...)}: picocli
     * would build the model of every one of them (reflection over some 300 options) before parsing; a command line
     * naming one gets only that one ({@link #execute}), help and usage errors get all.
     */
    static final List<Class<?>> COMMANDS = List.of(
            PluginsCommand.class,
            ClustersCommand.class,
            BackupCommand.class,
            ListCommand.class,
            ShowCommand.class,
            RestoreCommand.class,
            RestoresCommand.class,
            DeleteCommand.class,
            UndeleteCommand.class,
            PurgeCommand.class,
            VerifyCommand.class,
            AdoptCommand.class,
            ServeCommand.class,
            SchedulesCommand.class,
            PlanCommand.class,
            PruneCommand.class,
            ReferenceCommand.class,
            CatalogToolCommand.class);

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
        Optional<Class<?>> named = commandNamed(args);
        for (Class<?> command : named.map(found -> found == CairnCli.class ? List.<Class<?>>of() : List.<Class<?>>of(found))
                .orElse(COMMANDS)) {
            commandLine.addSubcommand(new CommandLine(command));
        }
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

    /**
     * The command a command line names: its first argument that is not a global option, when that is a command's
     * name ({@code CairnCli} itself for {@code --version}); empty for help, a bare {@code cairn}, a mistyped command
     * or options picocli should report.
     */
    static Optional<Class<?>> commandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--conf")) {
                i++;
            } else if (arg.equals("--version") || arg.equals("-V")) {
                return Optional.of(CairnCli.class); // no command needed to print the version
            } else if (!arg.startsWith("--conf=") && !arg.matches("-v+|--verbose")) {
                return COMMANDS.stream().filter(command -> arg.equals(command.getAnnotation(Command.class).name()))
                        .findFirst();
            }
        }
        return Optional.empty();
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
