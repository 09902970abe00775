package io.cairn.tck;

import io.cairn.api.ProgressListener;

/** Keeps the last progress report, to check that an operation ends with {@code bytesDone == bytesTotal}. */
final class ProgressRecorder implements ProgressListener {

    private long lastDone = -1;
    private long lastTotal = -1;
    private int reports;

    @Override
    public synchronized void onProgress(long bytesDone, long bytesTotal) {
        lastDone = bytesDone;
        lastTotal = bytesTotal;
        reports++;
    }

    synchronized boolean endedComplete() {
        return reports > 0 && lastDone == lastTotal;
    }

    @Override
    public synchronized String toString() {
        return reports == 0 ? "no progress report" : reports + " progress reports, the last " + lastDone + " of " + lastTotal;
    }
}
