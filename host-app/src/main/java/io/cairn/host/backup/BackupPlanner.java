package io.cairn.host.backup;

import io.cairn.api.Capabilities;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import java.util.Optional;

/**
 * Decides full or incremental: a pure function of what was asked, what the backend can do and the
 * newest available backup of the volume. (A chain policy - full every N, or after an age - adds an
 * input here.)
 */
public final class BackupPlanner {

    private BackupPlanner() {
    }

    /**
     * @param newestAvailable the newest available backup of the volume, whose chain is the current one
     */
    public static BackupPlan plan(VolumeRef volume, boolean forceFull, Capabilities capabilities,
            Optional<BackupRecord> newestAvailable) {
        if (forceFull) {
            return full("full backup, as --full asked");
        }
        if (!capabilities.incremental()) {
            return full("full backup: the backend makes full backups only");
        }
        if (volume.isFile()) {
            return full("full backup: files and block devices are always backed up in full");
        }
        if (newestAvailable.isEmpty()) {
            return full("full backup: no available backup of " + volume + " to diff from");
        }
        BackupRecord parent = newestAvailable.get();
        if (parent.status() != BackupStatus.AVAILABLE) {
            throw new IllegalArgumentException("parent " + parent.id() + " is " + parent.status().label());
        }
        return new BackupPlan(BackupKind.INCREMENTAL, Optional.of(parent), "incremental from " + parent.id()
                + ", the newest available backup of " + volume + " (chain " + parent.chain() + ")");
    }

    private static BackupPlan full(String reason) {
        return new BackupPlan(BackupKind.FULL, Optional.empty(), reason);
    }
}
