package io.cairn.ceph.copy;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.ceph.cluster.ConnectionSettings;
import io.cairn.ceph.rbd.ClusterStalledException;
import io.cairn.ceph.rbd.RadosPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference driver's way of moving data: {@code rbd export-diff ... - | rbd import-diff - ...}.
 * Kept as a fallback and as the yardstick for the native transfer. The stream passes through this
 * process so progress can be reported, and so that its end-snapshot record is taken out
 * ({@link DiffWithoutEndSnapshot}): {@code import-diff} only writes the target's head, and the caller
 * creates the restore point once this returns - never an {@code import-diff} that outlived a killed
 * Cairn.
 *
 * <p>Bounded: the children get the cluster's timeout for their own monitor and OSD operations, and when
 * the stream makes no progress for that long (an OSD stopped, a monitor gone) both are killed and
 * reaped, and the transfer fails naming the side that stalled.
 *
 * <p>Secrets stay off disk and out of command lines: with {@code key:} set, a child reads the key from a
 * file in this process's memory ({@link InMemoryKeyFile}, {@code --keyfile /proc/<pid>/fd/<n>});
 * nothing is written to a disk, {@code ps} shows no key, and a SIGKILL of this process leaves nothing
 * behind.
 */
public final class RbdCliTransfer {

    private static final int BUFFER = 1 << 20;
    private static final int STDERR_LIMIT = 8192;
    private static final long REAP_SECONDS = 10;

    private final ConnectionSettings source;
    private final RadosPool sourcePool;
    private final ConnectionSettings target;
    private final RadosPool targetPool;

    /**
     * @param sourcePool the volume's pool through this process's own client: marked stalled when the
     *                   export stalls, so that what follows the failure does not wait again
     * @param targetPool the backup pool, likewise for the import
     */
    public RbdCliTransfer(ConnectionSettings source, RadosPool sourcePool, ConnectionSettings target, RadosPool targetPool) {
        this.source = source;
        this.sourcePool = sourcePool;
        this.target = target;
        this.targetPool = targetPool;
    }

    /**
     * Streams the difference between {@code fromSnapshot} (or nothing) and {@code sourceSpec@snapshot}
     * into the head of {@code targetSpec}; it creates no snapshot there.
     *
     * @return the number of bytes in the diff stream
     * @throws ClusterStalledException when the stream made no progress for the timeout (both children
     *         are killed and reaped then)
     */
    public long run(String sourceSpec, String snapshot, String fromSnapshot, String targetSpec, long volumeSize,
             ProgressListener progress) {
        List<String> export = new ArrayList<>(List.of("export-diff"));
        if (fromSnapshot != null) {
            export.addAll(List.of("--from-snap", fromSnapshot));
        }
        export.addAll(List.of(sourceSpec + "@" + snapshot, "-"));
        Child exporter = new Child("rbd export-diff of " + sourceSpec + "@" + snapshot, source, sourcePool, export);
        Child importer = new Child("rbd import-diff into " + targetSpec, target, targetPool,
                List.of("import-diff", "-", targetSpec));
        return pipe(exporter, importer, volumeSize, progress);
    }

    /** One {@code rbd} child: its command line and how to hand it its key. */
    private static final class Child {
        final String what;
        final ConnectionSettings side;
        final RadosPool pool;
        final List<String> arguments;
        InMemoryKeyFile keyFile;
        Process process;
        StderrTail errors;

        Child(String what, ConnectionSettings side, RadosPool pool, List<String> arguments) {
            this.what = what;
            this.side = side;
            this.pool = pool;
            this.arguments = arguments;
        }

        void start() throws IOException {
            String seconds = Long.toString(Math.max(1, side.timeout().toSeconds()));
            List<String> command = new ArrayList<>(List.of("rbd", "--conf", side.conf().toString(), "--id", side.user(), "--no-progress",
                    "--client-mount-timeout", seconds, "--rados-mon-op-timeout", seconds,
                    "--rados-osd-op-timeout", seconds));
            if (side.key().isPresent()) {
                keyFile = InMemoryKeyFile.holding(side.key().get());
                command.addAll(List.of("--keyfile", keyFile.path()));
            } else {
                side.keyring().ifPresent(keyring -> command.addAll(List.of("--keyring", keyring.toString())));
            }
            command.addAll(arguments);
            process = new ProcessBuilder(command).start();
            errors = StderrTail.follow(process.getErrorStream());
        }

        /** Kills the child if it still runs, reaps it, and drops its key. */
        void kill() {
            try {
                if (process != null) {
                    process.destroyForcibly();
                    process.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (keyFile != null) {
                    keyFile.close();
                }
            }
        }
    }

    private long pipe(Child exporter, Child importer, long volumeSize, ProgressListener progress) {
        long timeoutNanos = Math.min(source.timeout().toNanos(), target.timeout().toNanos());
        try {
            exporter.start();
            importer.start();
            // export-diff reads nothing from stdin, import-diff writes nothing to stdout.
            exporter.process.getOutputStream().close();
            importer.process.getInputStream().close();
            DiffWithoutEndSnapshot toImporter = new DiffWithoutEndSnapshot(importer.process.getOutputStream());
            Pump pump = new Pump(exporter.process.getInputStream(), toImporter, volumeSize, progress);
            progress.onProgress(0, volumeSize);
            pump.start();
            while (pump.isAlive()) {
                pump.join(200);
                if (pump.isAlive() && System.nanoTime() - pump.lastProgress > timeoutNanos) {
                    Child stalled = pump.writing ? importer : exporter;
                    throw stalled(stalled, "made no progress");
                }
            }
            int exportExit = awaitExit(exporter, pump.lastProgress, timeoutNanos);
            int importExit = awaitExit(importer, pump.lastProgress, timeoutNanos);
            if (pump.malformed != null) {
                throw new BackendException("rbd export-diff | rbd import-diff: " + pump.malformed.getMessage(),
                        pump.malformed);
            }
            if (exportExit != 0 || importExit != 0) {
                throw new BackendException("rbd export-diff | rbd import-diff failed (exit codes " + exportExit + ", "
                        + importExit + "): " + exporter.errors.text() + " " + importer.errors.text());
            }
            if (!toImporter.complete()) {
                throw new BackendException("rbd export-diff | rbd import-diff: the stream ended before its end record"
                        + " (" + pump.streamed + " bytes)");
            }
            progress.onProgress(volumeSize, volumeSize);
            return pump.streamed;
        } catch (IOException e) {
            throw new BackendException("cannot run rbd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted during rbd export-diff | import-diff", e);
        } finally {
            exporter.kill();
            importer.kill();
        }
    }

    /** Waits for a child to exit, at most the timeout after the stream's last progress. */
    private int awaitExit(Child child, long lastProgress, long timeoutNanos) throws InterruptedException {
        long remaining = lastProgress + timeoutNanos - System.nanoTime();
        if (!child.process.waitFor(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
            throw stalled(child, "did not finish");
        }
        return child.process.exitValue();
    }

    private static ClusterStalledException stalled(Child child, String how) {
        child.pool.calls().stalledElsewhere(child.what, child.pool::answers);
        return new ClusterStalledException(child.side.label() + " did not answer within "
                + Math.max(1, child.side.timeout().toSeconds()) + " s: " + child.what + " " + how
                + " and was killed (an OSD or monitor is stopped, overloaded or unreachable)");
    }

    /** Copies the stream from export-diff to import-diff, noting when it last moved. */
    private static final class Pump extends Thread {
        private final InputStream in;
        private final OutputStream out;
        private final long volumeSize;
        private final ProgressListener progress;
        volatile long lastProgress = System.nanoTime();
        volatile boolean writing;
        volatile long streamed;
        volatile DiffWithoutEndSnapshot.MalformedDiffException malformed;

        Pump(InputStream in, OutputStream out, long volumeSize, ProgressListener progress) {
            super("rbd-diff-pump");
            setDaemon(true);
            this.in = in;
            this.out = out;
            this.volumeSize = volumeSize;
            this.progress = progress;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[BUFFER];
            try (in; out) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    lastProgress = System.nanoTime();
                    writing = true;
                    out.write(buffer, 0, n);
                    out.flush();
                    writing = false;
                    lastProgress = System.nanoTime();
                    streamed += n;
                    progress.onProgress(Math.min(streamed, volumeSize), volumeSize);
                }
            } catch (DiffWithoutEndSnapshot.MalformedDiffException e) {
                // Closing both ends (above) ends both children: export-diff on a broken pipe, import-diff at EOF.
                malformed = e;
            } catch (IOException e) {
                // A child died or was killed and closed its end; its exit code and stderr say why.
            }
        }
    }

    /** The last few KiB a child process wrote to stderr, read on a thread of its own. */
    private static final class StderrTail {
        private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
        private final Thread reader;

        private StderrTail(InputStream stderr) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                int n;
                try {
                    while ((n = stderr.read(buffer)) > 0) {
                        synchronized (tail) {
                            if (tail.size() < STDERR_LIMIT) {
                                tail.write(buffer, 0, Math.min(n, STDERR_LIMIT - tail.size()));
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "rbd-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        static StderrTail follow(InputStream stderr) {
            return new StderrTail(stderr);
        }

        String text() {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return tail.toString(StandardCharsets.UTF_8).strip();
            }
        }
    }
}
