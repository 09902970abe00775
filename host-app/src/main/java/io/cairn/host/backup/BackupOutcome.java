package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import java.util.List;
import java.util.Objects;

/**
 * A finished backup.
 *
 * @param record the available backup
 * @param notes  things the operator should know that are not failures: a new chain started because
 *               the parent's restore point was gone, older source snapshots removed, a tidy-up that failed
 */
public record BackupOutcome(BackupRecord record, List<String> notes) {

    public BackupOutcome {
        Objects.requireNonNull(record, "record is null");
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
    }
}
