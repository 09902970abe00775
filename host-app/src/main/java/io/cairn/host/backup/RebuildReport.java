package io.cairn.host.backup;

import io.cairn.api.model.BackupId;
import io.cairn.api.operation.FoundBackup;
import io.cairn.host.catalog.BackupRecord;
import java.util.List;
import java.util.Objects;

/**
 * What {@code cairn catalog rebuild} found and did for one cluster.
 *
 * @param cluster   the cluster
 * @param dryRun    whether nothing was written
 * @param imported  backups recorded (or, on a dry run, that would be)
 * @param agreeing  backups the catalog already records as storage holds them
 * @param conflicts backups the catalog records otherwise than storage holds them; left as recorded
 * @param notes     what the backend noted of the rest of backup storage
 */
public record RebuildReport(String cluster, boolean dryRun, List<Imported> imported, List<BackupId> agreeing,
        List<Conflict> conflicts, List<String> notes) {

    public RebuildReport {
        Objects.requireNonNull(cluster, "cluster is null");
        imported = List.copyOf(imported);
        agreeing = List.copyOf(agreeing);
        conflicts = List.copyOf(conflicts);
        notes = List.copyOf(notes);
    }

    /**
     * One backup recorded.
     *
     * @param record      as recorded
     * @param found       what the backend found
     * @param placeholder whether it is a placeholder for a parent that storage no longer holds
     * @param adopted     whether its source snapshot was held again as Cairn's
     */
    public record Imported(BackupRecord record, FoundBackup found, boolean placeholder, boolean adopted) {
    }

    /**
     * A backup the catalog records differently from what storage holds.
     *
     * @param backup the backup
     * @param what   how the two differ
     */
    public record Conflict(BackupId backup, String what) {
    }
}
