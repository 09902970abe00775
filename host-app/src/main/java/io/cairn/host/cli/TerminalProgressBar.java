package io.cairn.host.cli;

import java.io.PrintStream;

/** A progress bar redrawn in place with a carriage return, at most ten times a second. */
final class TerminalProgressBar extends ProgressDisplay {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final String label;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long done;
    private long total;
    private boolean drawn;

    TerminalProgressBar(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public synchronized void onProgress(long bytesDone, long bytesTotal) {
        done = bytesDone;
        total = bytesTotal;
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS || (bytesTotal > 0 && bytesDone >= bytesTotal)) {
            lastDrawn = now;
            draw(now);
        }
    }

    private void draw(long now) {
        // Pad, so a shorter line fully covers a longer one drawn before it.
        String line = label + " " + ProgressText.bar(done, total) + " " + ProgressText.summary(done, total, now - started);
        err.print("\r" + line + "   ");
        err.flush();
        drawn = true;
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            draw(System.nanoTime());
            err.println();
        }
    }
}
