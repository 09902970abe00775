package io.cairn.host.schedule;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one firing did for one volume.
 *
 * @param volume  the volume
 * @param backup  the backup, when one became available
 * @param failure why there is none: the backup failed, the volume was busy, or the host was stopping
 * @param pruned  how many backups retention deleted afterwards
 * @param notes   what else to know (a prune that could not finish)
 */
public record VolumeRunResult(VolumeRef volume, Optional<BackupRecord> backup, Optional<String> failure, int pruned,
        List<String> notes) {

    public VolumeRunResult {
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(backup, "backup is null");
        Objects.requireNonNull(failure, "failure is null");
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
        if (backup.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("a volume's result is a backup or a failure");
        }
    }

    static VolumeRunResult failed(VolumeRef volume, String why) {
        return new VolumeRunResult(volume, Optional.empty(), Optional.of(why), 0, List.of());
    }
}
