package io.cairn.api;

/**
 * Receives progress of a long operation (a transfer or a restore) so the host can draw a progress
 * bar, log rates and export metrics.
 *
 * <p>Backends call it from any thread, at most a few times per second and at least once at the end
 * with {@code bytesDone == bytesTotal}. Implementations must be cheap and thread-safe, and must not
 * throw.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (bytesDone, bytesTotal) -> { };

    /**
     * @param bytesDone  bytes of the volume processed so far (read, compared, written or skipped)
     * @param bytesTotal bytes the operation will process in all; may grow once if the backend learns
     *                   more (for example after listing changed extents)
     */
    void onProgress(long bytesDone, long bytesTotal);
}
