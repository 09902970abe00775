package io.cairn.api.error;

/**
 * A cluster did not answer within the backend's timeouts. The message names the cluster
 * and what was tried.
 */
public class UnreachableException extends BackendException {

    private static final long serialVersionUID = 1L;

    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
