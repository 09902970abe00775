package io.cairn.devtools.ceph;

import io.cairn.devtools.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Leaves nothing of a throwaway cluster run behind (the demo's, the benchmark's), once, whoever asks
 * first: the run when it ends, or the shutdown hook on Ctrl-C or SIGTERM, when the run's own
 * {@code finally} does not get to run. Ends the run's processes (and what they started), stops the
 * cluster - also one whose start is still under way - and removes the work directory.
 *
 * <pre>{@code
 * Path work = ClusterTearDown.workDir("cairn-demo-");
 * ClusterTearDown tearDown = new ClusterTearDown(root, work, work.resolve("ceph"), children, err::println).onShutdown();
 * try { ... } finally { tearDown.run(); }
 * }</pre>
 */
public final class ClusterTearDown {

    /** How long the run's processes get to end on SIGTERM before SIGKILL: an idle cairn serve stops within it. */
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final Path projectRoot;
    private final Path work;
    private final Path clusterDir;
    private final ChildProcesses children;
    private final Consumer<String> report;
    private final Thread hook = new Thread(this::run, "tear-down");
    private AutoCloseable first;
    private boolean done;
    private volatile boolean started;

    /**
     * @param work       the run's directory, removed at the end
     * @param clusterDir where its cluster lives (or will)
     * @param children   the run's processes
     * @param report     receives what was done, or could not be
     */
    public ClusterTearDown(Path projectRoot, Path work, Path clusterDir, ChildProcesses children, Consumer<String> report) {
        this.projectRoot = projectRoot;
        this.work = work;
        this.clusterDir = clusterDir;
        this.children = children;
        this.report = report;
    }

    /** A new directory under the system's temporary directory. */
    public static Path workDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** Also tears down when the JVM is asked to exit (Ctrl-C, SIGTERM) before {@link #run()} was called. */
    public ClusterTearDown onShutdown() {
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** Something to close before anything else, such as a watch that would report the cluster going down. */
    public synchronized void closeFirst(AutoCloseable closeable) {
        this.first = closeable;
    }

    /** Whether the tear-down has begun: what fails after that fails because of it. */
    public boolean started() {
        return started;
    }

    /** Tears down; a second call waits for the first to finish and does nothing more. */
    public synchronized void run() {
        started = true;
        if (done) {
            return;
        }
        done = true;
        try {
            if (first != null) {
                first.close();
            }
        } catch (Exception e) {
            report.accept("could not close " + first + ": " + e.getMessage());
        }
        children.endAll(GRACE);
        // The script makes the directory first thing: without it (a run that needed no cluster, or ended
        // before its start), there is nothing to stop.
        boolean hadCluster = Files.exists(clusterDir);
        if (hadCluster) {
            try {
                DevCluster.stop(projectRoot, clusterDir);
            } catch (RuntimeException e) {
                report.accept("could not stop the cluster in " + clusterDir + ": " + e.getMessage());
            }
        }
        deleteTree(work);
        report.accept((hadCluster ? "stopped the cluster and removed " : "removed ") + work);
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already (the hook runs, and finds the work done), or never registered
            }
        }
    }

    private void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            report.accept("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
