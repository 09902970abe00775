package io.cairn.host.cli;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.host.config.ConfigurationException;
import java.util.Objects;

/**
 * What the CLI prints and returns for a failure: exit code 2 for bad usage or configuration, 1 for an
 * operation that failed. Messages come from the exceptions, which name the object (volume, backup id,
 * cluster, file and key); secrets never reach them.
 *
 * @param exitCode 1 or 2
 * @param message  the text for stderr
 */
public record ErrorReport(int exitCode, String message) {

    /** Success. */
    public static final int OK = 0;
    /** The operation failed (backend error, unreachable cluster, busy volume, unknown backup). */
    public static final int FAILED = 1;
    /** Bad usage or configuration: fix the command line or the conf directory. */
    public static final int USAGE = 2;

    public ErrorReport {
        Objects.requireNonNull(message, "message is null");
    }

    /** Classifies a failure. */
    public static ErrorReport of(Throwable failure) {
        if (failure instanceof ConfigurationException e) {
            return new ErrorReport(USAGE, "configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
        }
        if (failure instanceof InvalidConfigurationException e) {
            return new ErrorReport(USAGE, "configuration error: " + e.getMessage());
        }
        if (failure instanceof io.cairn.host.backup.SetRefusedException) {
            return new ErrorReport(USAGE, failure.getMessage());
        }
        if (failure instanceof UsageException) {
            return new ErrorReport(USAGE, failure.getMessage());
        }
        if (failure instanceof BackendException) {
            return new ErrorReport(FAILED, failure.getMessage());
        }
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            // Only an unexpected failure has no message; its type is then the best clue.
            message = failure.getClass().getName() + " (run with -vv for the stack trace)";
        }
        return new ErrorReport(FAILED, message);
    }
}
