package io.cairn.host.backup;

import io.cairn.host.catalog.BackupSetRecord;

/**
 * A backup set failed: the set and every member are recorded {@code error}, and nothing of it is kept. The
 * message names the set, what it is of, the cluster and the reason.
 */
public final class SetFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient BackupSetRecord set;

    public SetFailedException(String message, BackupSetRecord set, Throwable cause) {
        super(message, cause);
        this.set = set;
    }

    /** The set as the catalog now holds it. */
    public BackupSetRecord set() {
        return set;
    }
}
