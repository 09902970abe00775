package io.cairn.host.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is wrong; carries every problem found so the operator can fix them in one go.
 * The CLI reports it with exit code 2.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigurationProblem> problems;

    public ConfigurationException(List<ConfigurationProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigurationException(ConfigurationProblem problem) {
        this(List.of(problem));
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
