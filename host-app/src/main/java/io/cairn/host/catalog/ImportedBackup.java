package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup recorded by {@code cairn catalog rebuild} from what its backend found in backup storage.
 *
 * @param backupId   the backup
 * @param importedAt when it was recorded
 * @param origin     empty for the backend's own backups; else who wrote them (another tool's layout)
 * @param adoptedAt  when an operator made another tool's backup Cairn's to delete ({@code cairn adopt})
 * @param notes      what the backend said of it when it found it
 */
public record ImportedBackup(BackupId backupId, Instant importedAt, String origin, Optional<Instant> adoptedAt,
        List<String> notes) {

    public ImportedBackup {
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(importedAt, "importedAt is null");
        Objects.requireNonNull(origin, "origin is null");
        Objects.requireNonNull(adoptedAt, "adoptedAt is null");
        notes = List.copyOf(notes);
    }

    /** Whether another tool wrote it and no operator adopted it: Cairn does not delete, prune or diff from it. */
    public boolean foreign() {
        return !origin.isEmpty() && adoptedAt.isEmpty();
    }

    /** Whether another tool wrote it (adopted or not). */
    public boolean notCairns() {
        return !origin.isEmpty();
    }
}
