package io.cairn.host.cli;

import java.io.PrintStream;

/**
 * Progress as plain lines, for output that is not a terminal: one line every few seconds and one at
 * the end, each with the average rate so far, e.g.
 * {@code backup 1f2e... of volumes/db1: 512.0 MiB of 1.0 GiB (50%), 120.3 MiB/s}.
 */
final class ProgressLog extends ProgressDisplay {

    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final String label;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private long lastLogged = started;
    private long done;
    private long total;
    private boolean reported;

    ProgressLog(PrintStream err, String label, long intervalNanos) {
        this.err = err;
        this.label = label;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public synchronized void onProgress(long bytesDone, long bytesTotal) {
        done = bytesDone;
        total = bytesTotal;
        reported = true;
        long now = System.nanoTime();
        if (now - lastLogged >= intervalNanos) {
            lastLogged = now;
            err.println(label + ": " + ProgressText.summary(done, total, now - started));
        }
    }

    @Override
    public synchronized void close() {
        if (reported) {
            long elapsed = System.nanoTime() - started;
            err.println(label + ": " + ProgressText.summary(done, total, elapsed) + " in " + ProgressText.seconds(elapsed));
        }
    }
}
