package io.cairn.api.operation;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import java.util.Objects;

/**
 * Asks to restore {@code backup} into {@code target}.
 *
 * @param backup    the stored backup
 * @param target    the volume or file to write
 * @param overwrite whether an existing target holding data, or in use by a client, may be written over
 * @param progress  receives progress reports
 */
public record RestoreRequest(BackupRef backup, VolumeRef target, boolean overwrite, ProgressListener progress) {

    public RestoreRequest {
        Objects.requireNonNull(backup, "backup is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(progress, "progress is null");
    }
}
