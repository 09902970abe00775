package io.cairn.api.error;

/**
 * Storage is busy or briefly unavailable (an image still in use, a timeout). Retrying
 * later may succeed.
 */
public class TransientBackendException extends BackendException {

    private static final long serialVersionUID = 1L;

    public TransientBackendException(String message) {
        super(message);
    }

    public TransientBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
