package io.cairn.api.error;

/**
 * The stored data of a backup (its restore point) is gone from backup storage.
 */
public class BackupDataMissingException extends BackendException {

    private static final long serialVersionUID = 1L;

    public BackupDataMissingException(String message) {
        super(message);
    }

    public BackupDataMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
