package io.cairn.api.operation;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import java.util.Objects;

/**
 * Asks to verify {@code backup}.
 *
 * @param backup        the stored backup, as the catalog recorded it (metadata, source snapshot,
 *                      resources)
 * @param compareSource also compare with the backup's source snapshot, where it still exists with the
 *                      recorded identity; the result says whether it was compared
 * @param samplePercent how much of the restore point to check, more than 0 and at most 100: 100 checks
 *                      all of it, less checks a random part of about that share (at least one unit
 *                      of the backend's digests)
 * @param progress      receives progress reports (bytes checked of bytes to check)
 * @since plugin API 1.1
 */
public record VerifyRequest(BackupRef backup, boolean compareSource, double samplePercent, ProgressListener progress) {

    public VerifyRequest {
        Objects.requireNonNull(backup, "backup is null");
        Objects.requireNonNull(progress, "progress is null");
        if (!(samplePercent > 0 && samplePercent <= 100)) {
            throw new IllegalArgumentException("samplePercent must be more than 0 and at most 100, not " + samplePercent);
        }
    }

    /** A full verify of every byte, against the recorded digests only, without progress reports. */
    public static VerifyRequest full(BackupRef backup) {
        return new VerifyRequest(backup, false, 100, ProgressListener.NONE);
    }

    /** Whether every byte is to be checked. */
    public boolean complete() {
        return samplePercent >= 100;
    }
}
