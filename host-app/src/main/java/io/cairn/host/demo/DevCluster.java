package io.cairn.host.demo;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway Ceph cluster started by {@code scripts/ceph-dev-cluster}: one mon, one memstore OSD,
 * pools {@code volumes} and {@code backups}, everything inside one directory. {@link #close()} stops
 * exactly its daemons and removes the directory.
 */
final class DevCluster implements AutoCloseable {

    private static final long START_SECONDS = 900;
    private static final long STOP_SECONDS = 120;

    private final Path script;
    private final Path dir;
    private final Path conf;
    private final OutputStream log;

    private DevCluster(Path script, Path dir, Path conf, OutputStream log) {
        this.script = script;
        this.dir = dir;
        this.conf = conf;
        this.log = log;
    }

    /**
     * Starts a cluster in {@code dir} (which must not exist yet). Installs Ceph's packages first when
     * they are missing - that can take a few minutes on a fresh machine.
     *
     * @param log receives the script's progress
     */
    static DevCluster start(Path projectRoot, Path dir, OutputStream log) {
        Path script = projectRoot.resolve("scripts/ceph-dev-cluster");
        String out;
        try {
            out = ExternalCommand.run(List.of(script.toString(), "start", dir.toString()), log, START_SECONDS);
        } catch (RuntimeException e) {
            stop(script, dir, log);
            throw e;
        }
        // The script's contract: the last line on stdout is the conf path.
        String[] lines = out.strip().split("\n");
        return new DevCluster(script, dir, Path.of(lines[lines.length - 1].strip()), log);
    }

    Path conf() {
        return conf;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        stop(script, dir, log);
    }

    /** Stops the cluster in {@code dir}, if any, reporting rather than throwing a failure: for shutdown hooks. */
    static void stopQuietly(Path projectRoot, Path dir, OutputStream log) {
        try {
            stop(projectRoot.resolve("scripts/ceph-dev-cluster"), dir, log);
        } catch (RuntimeException e) {
            new java.io.PrintStream(log, true).println("demo: could not stop the cluster in " + dir + ": " + e.getMessage());
        }
    }

    private static void stop(Path script, Path dir, OutputStream log) {
        ExternalCommand.run(List.of(script.toString(), "stop", dir.toString()), log, STOP_SECONDS);
    }
}
