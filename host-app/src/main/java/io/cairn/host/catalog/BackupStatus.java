package io.cairn.host.catalog;

import java.util.Locale;

/**
 * Where a backup is in its life. Only {@link #AVAILABLE} backups are listed as restorable; a backup
 * is never {@code available} before its data is completely stored.
 */
public enum BackupStatus {
    /** Snapshot taken or transfer running. */
    CREATING,
    /** Stored completely; can be restored. */
    AVAILABLE,
    /** Failed; the backend removed what it had written. The reason is kept. */
    ERROR,
    /** A delete is running (or was interrupted and can be repeated). */
    DELETING,
    /** Removed from backup storage; the record stays as history. */
    DELETED;

    /** Lowercase, as stored, shown and printed in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupStatus fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
