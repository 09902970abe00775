package io.cairn.api.error;

/**
 * A backend operation failed. The base of every error a backend raises; a plain instance means
 * "failed for a reason the host cannot act on" and its message says what and where.
 *
 * <p>Subclasses tell the host what it can do about it: retry ({@link TransientBackendException}),
 * start a new chain ({@link ChainBrokenException}), or report a problem the operator must fix.
 */
public class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
