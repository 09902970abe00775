package io.cairn.api.error;

/**
 * An incremental backup cannot be made because the parent's restore point, or the
 * snapshot to diff from, is gone. The host starts a new full chain and says why.
 */
public class ChainBrokenException extends BackendException {

    private static final long serialVersionUID = 1L;

    public ChainBrokenException(String message) {
        super(message);
    }

    public ChainBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
