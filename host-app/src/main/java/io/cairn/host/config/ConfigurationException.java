package io.cairn.host.config;

import io.cairn.api.error.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is wrong; carries every problem found so the operator can fix them in one go.
 * The CLI reports it with exit code 2.
 *
 * <p>Not merged with the plugin API's {@link InvalidConfigurationException}, on purpose: that is what a
 * backend throws about its own options, named by option key only - a backend never learns which file its
 * options came from, and the API stays free of the host's conf layout. This one names the file as well,
 * and also covers the host's own files ({@code cairn.yaml}, schedules). A backend's exception becomes
 * this one in one place, {@link #inClusterFile}.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private static final String OPTIONS_PREFIX = "options.";

    private final transient List<ConfigurationProblem> problems;

    public ConfigurationException(List<ConfigurationProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigurationException(ConfigurationProblem problem) {
        this(List.of(problem));
    }

    /**
     * A backend's complaint about the options of one cluster file, each problem named by that file and
     * {@code options.<key>}.
     */
    public static ConfigurationException inClusterFile(Path file, InvalidConfigurationException e) {
        return new ConfigurationException(e.problems().stream()
                .map(p -> new ConfigurationProblem(file, OPTIONS_PREFIX + p.key(), p.reason())).toList());
    }

    /** Every problem, in the order found. */
    public List<ConfigurationProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigurationProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
        }
        return problems.stream().map(ConfigurationProblem::toString).collect(Collectors.joining("\n"));
    }
}
