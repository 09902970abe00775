package io.cairn.host.backup;

import io.cairn.api.model.VolumeRef;
import java.util.List;
import java.util.Objects;

/**
 * Retention over one volume.
 *
 * @param cluster the cluster
 * @param volume  the volume
 * @param dryRun  whether only decided, nothing deleted
 * @param backups every backup that was not deleted before, newest first, with its verdict
 */
public record PruneOutcome(String cluster, VolumeRef volume, boolean dryRun, List<PrunedBackup> backups) {

    public PruneOutcome {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        backups = List.copyOf(Objects.requireNonNull(backups, "backups is null"));
    }

    /** The backups retention removes (or, on a dry run, would remove). */
    public List<PrunedBackup> removed() {
        return backups.stream().filter(b -> !b.decision().keep()).toList();
    }

    /** Whether every removal that was attempted succeeded. */
    public boolean succeeded() {
        return backups.stream().allMatch(b -> b.failure().isEmpty());
    }
}
