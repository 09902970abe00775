package io.cairn.api.error;

/**
 * A restore target is in use (for Ceph: it has watchers or an exclusive-lock owner, such as a running
 * VM) and the caller did not ask to overwrite it. Raised before anything is written.
 *
 * @since plugin API 1.1
 */
public class TargetInUseException extends BackendException {

    private static final long serialVersionUID = 1L;

    public TargetInUseException(String message) {
        super(message);
    }

    public TargetInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
