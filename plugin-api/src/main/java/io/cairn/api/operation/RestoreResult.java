package io.cairn.api.operation;

import io.cairn.api.model.VolumeRef;
import java.util.Objects;

/**
 * What a finished restore did.
 *
 * @param target          the restored volume or file
 * @param mode            how the data was copied
 * @param targetCreated   whether the restore created the target
 * @param targetSizeBytes the target's size afterwards
 * @param bytesWritten    bytes written to the target (zeros skipped or discarded are not counted)
 */
public record RestoreResult(
        VolumeRef target, RestoreMode mode, boolean targetCreated, long targetSizeBytes, long bytesWritten) {

    public RestoreResult {
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(mode, "mode is null");
    }

    /** How a restore copied the data. */
    public enum RestoreMode {
        /** Only the backup's allocated extents were written, into a new or empty target. */
        DIFFERENTIAL,
        /** Every block was written or, where the backup holds zeros, discarded. */
        FULL_COPY
    }
}
