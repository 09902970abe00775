package io.cairn.ceph.copy;

import io.cairn.api.ProgressListener;

/**
 * Adds up progress and passes it on at most every {@value #INTERVAL_NANOS} ns, so a listener that
 * draws a progress bar is not called for every 4 MiB block.
 */
public final class ProgressMeter {

    private static final long INTERVAL_NANOS = 200_000_000L;

    private final ProgressListener listener;
    private final long total;
    private long done;
    private long lastReport = System.nanoTime();

    public ProgressMeter(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
        listener.onProgress(0, total);
    }

    public void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (now - lastReport >= INTERVAL_NANOS) {
            lastReport = now;
            listener.onProgress(done, total);
        }
    }

    public void finish() {
        listener.onProgress(total, total);
    }
}
