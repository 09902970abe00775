package io.cairn.api.error;

/**
 * A restore target is never acceptable, whatever the caller asks: it is part of the backend's own
 * backup storage (a base image, the backup pool's objects). Writing there would corrupt stored
 * backups. Raised before anything is written.
 *
 * @since plugin API 1.1
 */
public class TargetRefusedException extends BackendException {

    private static final long serialVersionUID = 1L;

    public TargetRefusedException(String message) {
        super(message);
    }

    public TargetRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
