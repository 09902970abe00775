package io.cairn.host.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI talks to: where output goes, the environment it reads ({@code CAIRN_CONF}), and
 * whether a person is watching (a terminal gets a progress bar). Tests run the CLI in-process with
 * their own.
 *
 * @param out      results and JSON
 * @param err      errors, warnings and progress
 * @param env      environment variables
 * @param terminal whether stderr is a terminal
 */
public record CliEnvironment(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {

    /** The environment variable naming the conf directory when {@code --conf} is not given. */
    public static final String CONF_VARIABLE = "CAIRN_CONF";

    public CliEnvironment {
        Objects.requireNonNull(out, "out is null");
        Objects.requireNonNull(err, "err is null");
        env = Map.copyOf(Objects.requireNonNull(env, "env is null"));
    }

    /** The process's own streams and environment. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.out, System.err, System.getenv(), System.console() != null);
    }

    /** {@code --conf}, else {@code CAIRN_CONF}, else {@code ./conf}. */
    Path confDir(Path option) {
        if (option != null) {
            return option;
        }
        String variable = env.get(CONF_VARIABLE);
        return variable != null && !variable.isBlank() ? Path.of(variable) : Path.of("conf");
    }
}
