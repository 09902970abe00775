package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policies need to know about one backup of a volume: the host maps each catalog row of
 * the volume onto one entry. Its status is the catalog's {@link BackupStatus}, the one list of states
 * a backup goes through.
 *
 * @param id        the backup's id, unique within the history
 * @param kind      full or incremental
 * @param parent    the backup an incremental one was taken relative to; empty for a full one
 * @param createdAt when the backup was taken (its snapshot time); retention periods are computed from it
 * @param status    where the backup is in its life
 */
public record BackupEntry(BackupId id, BackupKind kind, Optional<BackupId> parent, Instant createdAt, BackupStatus status) {

    /**
     * Newest first; of two backups taken at the same instant the one with the greater id counts as the
     * newer, so that every ordering (and every decision built on it) is deterministic.
     */
    public static final Comparator<BackupEntry> NEWEST_FIRST = Comparator.comparing(BackupEntry::createdAt)
            .thenComparing(entry -> entry.id().value())
            .reversed();

    public BackupEntry {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(status, "status is null");
        if (kind == BackupKind.INCREMENTAL && parent.isEmpty()) {
            throw new IllegalArgumentException("incremental backup " + id + " has no parent");
        }
        if (kind == BackupKind.FULL && parent.isPresent()) {
            throw new IllegalArgumentException("full backup " + id + " has a parent");
        }
        if (parent.isPresent() && parent.get().equals(id)) {
            throw new IllegalArgumentException("backup " + id + " is its own parent");
        }
    }

    /** A full backup. */
    public static BackupEntry full(BackupId id, Instant createdAt, BackupStatus status) {
        return new BackupEntry(id, BackupKind.FULL, Optional.empty(), createdAt, status);
    }

    /** An incremental backup taken relative to {@code parent}. */
    public static BackupEntry incremental(BackupId id, BackupId parent, Instant createdAt, BackupStatus status) {
        return new BackupEntry(id, BackupKind.INCREMENTAL, Optional.of(parent), createdAt, status);
    }

    /** Whether the backup is stored completely and can be restored. */
    public boolean isAvailable() {
        return status == BackupStatus.AVAILABLE;
    }

    /** The same backup in another status. */
    public BackupEntry withStatus(BackupStatus newStatus) {
        return new BackupEntry(id, kind, parent, createdAt, newStatus);
    }

    /**
     * The history by id, in its order.
     *
     * @throws IllegalArgumentException if two entries have the same id
     */
    public static Map<BackupId, BackupEntry> byId(List<BackupEntry> history) {
        Map<BackupId, BackupEntry> byId = new LinkedHashMap<>();
        for (BackupEntry entry : history) {
            Objects.requireNonNull(entry, "history holds a null entry");
            if (byId.putIfAbsent(entry.id(), entry) != null) {
                throw new IllegalArgumentException("backup " + entry.id() + " appears twice in the history");
            }
        }
        return byId;
    }
}
