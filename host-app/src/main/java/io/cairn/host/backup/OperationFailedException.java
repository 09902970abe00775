package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import java.util.Optional;

/**
 * A backup, restore or delete failed. The message names the backup, volume and cluster and says why;
 * the record (when one was written) shows what the catalog now holds.
 */
public class OperationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient BackupRecord record;

    public OperationFailedException(String message, BackupRecord record, Throwable cause) {
        super(message, cause);
        this.record = record;
    }

    public OperationFailedException(String message) {
        super(message);
        this.record = null;
    }

    /** The catalog record after the failure, if the operation had one. */
    public Optional<BackupRecord> record() {
        return Optional.ofNullable(record);
    }
}
