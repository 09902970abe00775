package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.VerifyRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished verify of one backup.
 *
 * @param record   the backup after the verify (its status may have moved: {@code corrupt}, or back to
 *                 {@code available})
 * @param verify   what the verify found, as recorded
 * @param took     how long the backend's verify took (the catalog's work not counted)
 * @param change   what happened to the backup's status, for the operator: "marked corrupt", ...
 */
public record VerifyOutcome(BackupRecord record, VerifyRecord verify, Duration took, Optional<String> change) {

    public VerifyOutcome {
        Objects.requireNonNull(record, "record is null");
        Objects.requireNonNull(verify, "verify is null");
        Objects.requireNonNull(took, "took is null");
        Objects.requireNonNull(change, "change is null");
    }
}
