package io.cairn.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The throwaway cluster the benchmark runs on, started and stopped by {@code scripts/ceph-dev-cluster}:
 * one mon and one memstore OSD, so the "disk" is RAM and the figures are about CPU and protocol cost.
 * {@link #close()} stops exactly its daemons and removes its directory.
 */
final class DevCluster implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final Path conf;
    private boolean stopped;

    private DevCluster(Path script, Path dir, Path conf) {
        this.script = script;
        this.dir = dir;
        this.conf = conf;
    }

    /**
     * Starts a cluster in {@code dir}, which must not exist yet.
     *
     * @param memstoreBytes the OSD's RAM "disk" (bytes, or with a K/M/G/T suffix); only what is written
     *                      uses memory
     */
    static DevCluster start(Path projectRoot, Path dir, String memstoreBytes) {
        Path script = projectRoot.resolve("scripts/ceph-dev-cluster");
        List<String> command = List.of(script.toString(), "start", dir.toString(), "--memstore-bytes", memstoreBytes);
        String out;
        try {
            out = Command.run(command);
        } catch (RuntimeException e) {
            // A half-started cluster keeps its daemons' logs for inspection, but not its daemons.
            Command.run(List.of(script.toString(), "stop", dir.toString()));
            throw e;
        }
        String[] lines = out.strip().split("\n");
        return new DevCluster(script, dir, Path.of(lines[lines.length - 1].strip()));
    }

    Path conf() {
        return conf;
    }

    /** The pids of the mon and the OSD, from the pid files the daemons write into the run dir. */
    List<Long> daemonPids() {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir.resolve("run"), "*.pid")) {
            for (Path file : files) {
                pids.add(Long.parseLong(Files.readString(file).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pids.size() != 2) {
            throw new IllegalStateException("expected a mon and an OSD pid file in " + dir.resolve("run") + ", found "
                    + pids.size());
        }
        return pids;
    }

    /** Stops the daemons and removes the directory; does nothing the second time. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            Command.run(List.of(script.toString(), "stop", dir.toString()));
        }
    }
}
