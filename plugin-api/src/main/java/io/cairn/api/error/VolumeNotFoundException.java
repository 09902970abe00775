package io.cairn.api.error;

/**
 * The source volume (or the pool or namespace it lives in) does not exist.
 */
public class VolumeNotFoundException extends BackendException {

    private static final long serialVersionUID = 1L;

    public VolumeNotFoundException(String message) {
        super(message);
    }

    public VolumeNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
