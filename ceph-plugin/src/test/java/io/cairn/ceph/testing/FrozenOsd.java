package io.cairn.ceph.testing;

import java.util.List;

/**
 * A test cluster's only OSD stopped with SIGSTOP - a stalled OSD, as a hung disk or a paused VM makes
 * one: connections stay open, nothing answers. Closing it sends SIGCONT; use it in try-with-resources
 * so that the OSD always runs again.
 */
public final class FrozenOsd implements AutoCloseable {

    private final long pid;
    private final long frozenAt;
    private boolean thawed;

    private FrozenOsd(long pid) {
        this.pid = pid;
        this.frozenAt = System.nanoTime();
    }

    /** Stops the cluster's OSD now. */
    public static FrozenOsd freeze(TestCluster cluster) {
        long pid = cluster.osdPid();
        signal("-STOP", pid);
        return new FrozenOsd(pid);
    }

    /** When the OSD was stopped ({@link System#nanoTime()}). */
    public long frozenAt() {
        return frozenAt;
    }

    /** Seconds since the OSD was stopped. */
    public double secondsFrozen() {
        return (System.nanoTime() - frozenAt) / 1e9;
    }

    @Override
    public synchronized void close() {
        if (!thawed) {
            thawed = true;
            signal("-CONT", pid);
        }
    }

    private static void signal(String signal, long pid) {
        TestCluster.Result result = TestCluster.run(List.of("kill", signal, Long.toString(pid)), 10);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kill " + signal + " " + pid + " failed: " + result.stderr());
        }
    }
}
