package io.cairn.api.error;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Options are wrong: unknown, of the wrong type, missing, out of range, or pointing at something that
 * does not exist. Carries every problem found, not just the first, so the operator fixes them in one go.
 */
public class InvalidConfigurationException extends BackendException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidConfigurationException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigurationException(String key, String reason) {
        this(List.of(new Problem(key, reason)));
    }

    /** Every problem found, in the order the options were declared. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidConfigurationException needs at least one problem");
        }
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    /**
     * One wrong option.
     *
     * @param key    the option's name
     * @param reason what is wrong with it; never contains a secret value
     */
    public record Problem(String key, String reason) {

        public Problem {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(reason, "reason is null");
        }

        @Override
        public String toString() {
            return key + ": " + reason;
        }
    }
}
