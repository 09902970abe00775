package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import java.util.List;
import java.util.Objects;

/**
 * A finished delete.
 *
 * @param record  the backup, now {@code deleted}
 * @param removed what the backend removed
 * @param notes   what else the operator should know (already deleted, nothing was stored)
 */
public record DeleteOutcome(BackupRecord record, List<String> removed, List<String> notes) {

    public DeleteOutcome {
        Objects.requireNonNull(record, "record is null");
        removed = List.copyOf(Objects.requireNonNull(removed, "removed is null"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
    }
}
