package io.cairn.api.error;

/**
 * A restore target is smaller than the backup. Raised before anything is written.
 */
public class TargetTooSmallException extends BackendException {

    private static final long serialVersionUID = 1L;

    public TargetTooSmallException(String message) {
        super(message);
    }

    public TargetTooSmallException(String message, Throwable cause) {
        super(message, cause);
    }
}
