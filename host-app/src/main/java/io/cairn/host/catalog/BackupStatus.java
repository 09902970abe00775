package io.cairn.host.catalog;

import java.util.Locale;

/**
 * Where a backup is in its life. Only {@link #AVAILABLE} backups are listed as restorable; a backup
 * is never {@code available} before its data is completely stored.
 *
 * <pre>
 * creating -> available -> deleting -> deleted
 *          \-> error        |  ^  \-> expiring -> (undelete) available | corrupt
 *                           v  |             \-> (grace passed, purge) deleting
 *                          corrupt (a verify found damage; a full verify that finds none makes it available)
 * foreign (imported from another tool's layout) -> (adopt) available
 * </pre>
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
    DELETED,
    /**
     * Stored, but a verify found damage: never the parent of an incremental, restored only when forced,
     * and left alone by retention (an operator decides). A full verify that finds it intact makes it
     * {@link #AVAILABLE} again; a sample never does.
     */
    CORRUPT,
    /**
     * Deleted by an operator or by retention while {@code delete_grace} is set: its data is kept, it is
     * hidden from {@code cairn list}, and it can be undeleted until the grace has passed; then it is
     * purged ({@link #DELETING}, {@link #DELETED}).
     */
    EXPIRING,
    /**
     * Written by another tool (the OpenStack reference driver) and recorded by {@code cairn catalog
     * rebuild} from backup storage: restorable and verifiable, but not Cairn's - never deleted, pruned or
     * diffed from - until an operator adopts it ({@code cairn adopt}), which makes it {@link #AVAILABLE}.
     */
    FOREIGN;

    /** Whether the backup's data is stored and restorable (possibly only with force, when corrupt). */
    public boolean isStored() {
        return this == AVAILABLE || this == CORRUPT;
    }

    /** Lowercase, as stored, shown and printed in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status of a label as stored. The stored labels are matched directly: the catalog reads one for every row
     * (100,000 and more for a listing or a plan), and upper-casing each to look it up cost more than the rest.
     */
    public static BackupStatus fromLabel(String label) {
        return switch (label) {
            case "available" -> AVAILABLE;
            case "deleted" -> DELETED;
            case "creating" -> CREATING;
            case "error" -> ERROR;
            case "deleting" -> DELETING;
            case "corrupt" -> CORRUPT;
            case "expiring" -> EXPIRING;
            case "foreign" -> FOREIGN;
            default -> valueOf(label.toUpperCase(Locale.ROOT));
        };
    }
}
