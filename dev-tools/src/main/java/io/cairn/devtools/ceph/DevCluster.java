package io.cairn.devtools.ceph;

import io.cairn.devtools.process.ChildProcesses;
import io.cairn.devtools.process.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A throwaway Ceph cluster started by {@code scripts/ceph-dev-cluster}: one mon and one bluestore OSD on a
 * sparse file, pools {@code volumes} and {@code backups}, cephx, everything inside one directory.
 * {@link #close()} stops exactly its daemons and removes the directory.
 *
 * <pre>{@code
 * try (DevCluster cluster = DevCluster.in(projectRoot, dir).start()) {
 *     new Rbd(cluster.conf()).create("volumes/disk", 1 << 30);
 * }
 * }</pre>
 */
public final class DevCluster implements AutoCloseable {

    /** Installing Ceph's packages on a fresh machine is part of a start. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    /** The script's stop: SIGTERM, SIGKILL after 5 s, then removing the directory. */
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Path script;
    private final Path dir;
    private final Path conf;
    private final List<Daemon> daemons;
    private boolean stopped;

    private DevCluster(Path script, Path dir, Path conf) {
        this.script = script;
        this.dir = dir;
        this.conf = conf;
        // Read once, while both run: a daemon that crashes removes its pid file on the way out.
        this.daemons = readPidFiles(dir);
    }

    /** How to start a cluster in {@code dir} (which must not exist, or be empty). */
    public static Starter in(Path projectRoot, Path dir) {
        return new Starter(projectRoot, dir);
    }

    /** Options of a start; {@link #start()} runs it. */
    public static final class Starter {
        private final Path projectRoot;
        private final Path dir;
        private String osdSize;
        private OutputStream progress;
        private ChildProcesses children = ChildProcesses.untracked();

        private Starter(Path projectRoot, Path dir) {
            this.projectRoot = projectRoot;
            this.dir = dir;
        }

        /** The OSD's sparse disk (bytes, or with a K/M/G/T suffix); the script's default is 16G. */
        public Starter osdSize(String size) {
            this.osdSize = size;
            return this;
        }

        /** Shows the script's progress (package installation, bootstrap) as it comes; otherwise it is kept for errors. */
        public Starter progressTo(OutputStream sink) {
            this.progress = sink;
            return this;
        }

        /** Runs the script through {@code owner}, so that a Ctrl-C during the start can end it. */
        public Starter in(ChildProcesses owner) {
            this.children = owner;
            return this;
        }

        /**
         * Starts the cluster and waits until an RBD image can be created in it.
         *
         * @throws IllegalStateException when it does not start; the half-started cluster is stopped and removed
         */
        public DevCluster start() {
            Path script = script(projectRoot);
            List<String> command = new ArrayList<>(List.of(script.toString(), "start", dir.toString()));
            if (osdSize != null) {
                command.addAll(List.of("--osd-size", osdSize));
            }
            Command start = Command.of(command).timeout(START_TIMEOUT).in(children);
            if (progress != null) {
                start.stderrTo(progress);
            }
            Command.Result result;
            try {
                result = start.run();
            } catch (RuntimeException e) {
                runStop(script, dir);
                throw e;
            }
            if (result.exitCode() != 0) {
                runStop(script, dir);
                throw new IllegalStateException("the throwaway Ceph cluster in " + dir + " did not start (" + script
                        + " exit " + result.exitCode() + ")" + (result.stderr().isBlank() ? "" : ":\n" + result.stderr()));
            }
            // The script's contract: the last line on stdout is the conf path.
            String[] lines = result.stdout().strip().split("\n");
            try {
                return new DevCluster(script, dir, Path.of(lines[lines.length - 1].strip()));
            } catch (RuntimeException e) {
                runStop(script, dir);
                throw e;
            }
        }
    }

    /** The cluster's private directory. */
    public Path dir() {
        return dir;
    }

    /** Its ceph.conf, which names the admin keyring: all a client needs. */
    public Path conf() {
        return conf;
    }

    /** client.admin's keyring. */
    public Path adminKeyring() {
        return dir.resolve("ceph.client.admin.keyring");
    }

    /** Creates cephx user {@code client.<user>} with RBD caps (once) and returns its keyring. */
    public Path addUser(String user) {
        Path keyring = dir.resolve("ceph.client." + user + ".keyring");
        if (!Files.exists(keyring)) {
            Command.of(script.toString(), "add-user", dir.toString(), user).timeout(Duration.ofMinutes(2)).runOrThrow();
        }
        return keyring;
    }

    /** A daemon of the cluster: {@code mon.a} or {@code osd.0}, and its pid. */
    public record Daemon(String name, long pid) {
    }

    /** The mon and the OSD, as they were when the cluster had started. */
    public List<Daemon> daemons() {
        return daemons;
    }

    /** The mon and the OSD, from the pid files they wrote into {@code run/}. */
    private static List<Daemon> readPidFiles(Path dir) {
        List<Daemon> daemons = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir.resolve("run"), "ceph-*.pid")) {
            for (Path file : files) {
                String name = file.getFileName().toString().replaceFirst("^ceph-", "").replaceFirst("\\.pid$", "");
                daemons.add(new Daemon(name, Long.parseLong(Files.readString(file).strip())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pid files in " + dir.resolve("run"), e);
        }
        if (daemons.size() != 2) {
            throw new IllegalStateException("expected a mon and an OSD pid file in " + dir.resolve("run") + ", found "
                    + daemons.size());
        }
        return List.copyOf(daemons);
    }

    /** A daemon that is no longer running, if any: a cluster with one OSD serves no IO without it. */
    public Optional<Daemon> deadDaemon() {
        return daemons().stream().filter(daemon -> !running(daemon.pid())).findFirst();
    }

    /**
     * Whether {@code pid} is one of this cluster's daemons and runs: not gone, not a zombie, and its command
     * line names this cluster's conf (a pid can be reused once its process is gone).
     */
    private boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            return state != 'Z' && state != 'X' && commandLine.contains(conf.toString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A daemon's log file. */
    public Path log(Daemon daemon) {
        return dir.resolve("log").resolve("ceph-" + daemon.name() + ".log");
    }

    /** Copies the daemons' logs into {@code target} (created), which outlives {@link #close()}. */
    public void keepLogs(Path target) throws IOException {
        Files.createDirectories(target);
        try (var logs = Files.newDirectoryStream(dir.resolve("log"))) {
            for (Path log : logs) {
                Files.copy(log, target.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * How a dead daemon ended, from its log: Ceph's own crash report ({@code *** Caught signal (...) **})
     * when it crashed, else that it left none (killed, or out of memory).
     */
    public String howItEnded(Daemon daemon) {
        try (var lines = Files.lines(log(daemon))) {
            return lines.filter(line -> line.contains("*** Caught signal")).reduce((first, last) -> last)
                    .map(line -> "it crashed: " + line.substring(line.indexOf("***")).strip())
                    .orElse("it left no crash report (killed by a signal, or by the kernel for lack of memory?)");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "its log cannot be read: " + e.getMessage();
        }
    }

    /** Stops the daemons and removes the directory; does nothing the second time. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            runStop(script, dir);
        }
    }

    /**
     * Stops the cluster in {@code dir}, if any, and removes the directory - also one whose start is still
     * running in another process, or failed half-way.
     */
    public static void stop(Path projectRoot, Path dir) {
        runStop(script(projectRoot), dir);
    }

    private static void runStop(Path script, Path dir) {
        Command.of(script.toString(), "stop", dir.toString()).timeout(STOP_TIMEOUT).runOrThrow();
    }

    private static Path script(Path projectRoot) {
        Path script = projectRoot.resolve("scripts/ceph-dev-cluster");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("cannot find " + script + ": is " + projectRoot + " a Cairn checkout?");
        }
        return script;
    }
}
