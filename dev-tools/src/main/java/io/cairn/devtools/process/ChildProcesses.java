package io.cairn.devtools.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts processes for one owner and, when it is {@link #tracked()}, remembers the ones still running,
 * so that on a failure, Ctrl-C or SIGTERM the owner can end all of them - with whatever they started
 * in turn - and start no more. The demo owns one: its {@code rbd bench} writers and {@code cairn}
 * commands must not outlive it.
 */
public final class ChildProcesses {

    private final boolean tracking;
    private final Set<Process> running = new HashSet<>();
    private boolean ended;

    private ChildProcesses(boolean tracking) {
        this.tracking = tracking;
    }

    /** Remembers nothing: for callers that wait for each process anyway (the tests). */
    public static ChildProcesses untracked() {
        return new ChildProcesses(false);
    }

    /** Remembers every process until it ends, for {@link #endAll}. */
    public static ChildProcesses tracked() {
        return new ChildProcesses(true);
    }

    /**
     * Starts a process.
     *
     * @throws IllegalStateException after {@link #endAll}: the owner is shutting down
     */
    public Process start(ProcessBuilder builder) throws IOException {
        if (!tracking) {
            return builder.start();
        }
        synchronized (this) {
            if (ended) {
                throw new IllegalStateException("not starting " + builder.command().get(0) + ": shutting down");
            }
            Process process = builder.start();
            running.add(process);
            process.onExit().thenRun(() -> forget(process));
            return process;
        }
    }

    /**
     * Ends every process started here that still runs, and everything it started: SIGTERM, then SIGKILL
     * after {@code grace}. From now on {@link #start} refuses. Safe to call more than once, from any thread.
     */
    public void endAll(Duration grace) {
        List<ProcessHandle> processes = new ArrayList<>();
        synchronized (this) {
            ended = true;
            running.forEach(process -> processes.add(process.toHandle()));
        }
        ProcessTrees.end(processes, grace);
    }

    private synchronized void forget(Process process) {
        running.remove(process);
    }
}
