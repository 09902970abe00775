package io.cairn.host.cli;

import io.cairn.api.ProgressListener;
import java.io.PrintStream;

/**
 * Shows a backup's or restore's progress on stderr: a bar redrawn in place on a terminal, plain lines
 * with rates every few seconds otherwise (logs, CI, pipes). stdout stays for results and JSON.
 */
abstract class ProgressDisplay implements ProgressListener, AutoCloseable {

    /** Ignores all reports: for {@code --quiet}. */
    static final ProgressDisplay NONE = new ProgressDisplay() {
        @Override
        public void onProgress(long bytesDone, long bytesTotal) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * @param label    what is progressing, for example {@code backup 1f2e... of volumes/db1}
     * @param terminal whether stderr is a terminal ({@code System.console() != null})
     */
    static ProgressDisplay on(PrintStream err, String label, boolean terminal) {
        return terminal ? new TerminalProgressBar(err, label) : new ProgressLog(err, label, ProgressLog.INTERVAL_NANOS);
    }

    /** Ends the display (a final newline, a final line). */
    @Override
    public abstract void close();
}
