package io.cairn.api.error;

/**
 * A restore target already holds data and the caller did not ask to overwrite it.
 * Raised before anything is written.
 */
public class TargetNotEmptyException extends BackendException {

    private static final long serialVersionUID = 1L;

    public TargetNotEmptyException(String message) {
        super(message);
    }

    public TargetNotEmptyException(String message, Throwable cause) {
        super(message, cause);
    }
}
