package io.cairn.devtools.demo;

import io.cairn.devtools.ceph.DevCluster;
import io.cairn.devtools.process.ChildProcesses;
import java.time.Duration;
import java.util.Optional;

/**
 * Watches the demo's cluster while the demo runs. A cluster with one mon and one OSD serves nothing once
 * either is gone, and clients then wait for it (librados retries for minutes): so when a daemon dies, the
 * watch ends the demo's running commands at once, and the demo fails naming the daemon instead of
 * waiting out its step's timeout.
 */
final class ClusterWatch implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final DevCluster cluster;
    private final ChildProcesses children;
    private final Thread thread;
    private volatile DevCluster.Daemon dead;
    private volatile boolean closed;

    private ClusterWatch(DevCluster cluster, ChildProcesses children) {
        this.cluster = cluster;
        this.children = children;
        this.thread = new Thread(this::watch, "demo-cluster-watch");
        thread.setDaemon(true);
    }

    /** Starts watching {@code cluster}; a death ends the processes of {@code children}. */
    static ClusterWatch start(DevCluster cluster, ChildProcesses children) {
        ClusterWatch watch = new ClusterWatch(cluster, children);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        try {
            while (!closed) {
                Thread.sleep(INTERVAL.toMillis());
                if (!closed && check().isPresent()) {
                    children.endAll(GRACE);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks now: the daemon that died, if one did (remembered once seen). */
    Optional<DevCluster.Daemon> check() {
        if (dead == null && !closed) {
            cluster.deadDaemon().ifPresent(daemon -> dead = daemon);
        }
        return Optional.ofNullable(dead);
    }

    /** Fails the demo when a daemon died; used between steps that start no process. */
    void assertAlive(String step) {
        check().ifPresent(daemon -> {
            throw failure(daemon, step, null);
        });
    }

    /** Says what happened in words: which daemon, during which step, how it ended. */
    DemoFailure failure(DevCluster.Daemon daemon, String step, Throwable cause) {
        return new DemoFailure("the demo's Ceph cluster failed: " + daemon.name() + " (pid " + daemon.pid()
                + ") stopped running during \"" + step + "\"; " + cluster.howItEnded(daemon)
                + ". The demo cannot go on without it.", cause);
    }

    /** Stops watching (before the cluster is torn down, which the watch would otherwise report). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
