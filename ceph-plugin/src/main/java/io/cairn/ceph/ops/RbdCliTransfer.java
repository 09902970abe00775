package io.cairn.ceph.ops;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.ceph.cluster.ConnectionSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference driver's way of moving data: {@code rbd export-diff ... - | rbd import-diff - ...}.
 * Kept as a fallback and as the yardstick for the native transfer. The stream passes through this
 * process so progress can be reported; {@code import-diff} creates the end snapshot on the target
 * when the stream is complete.
 */
final class RbdCliTransfer {

    private static final int BUFFER = 1 << 20;
    private static final int STDERR_LIMIT = 8192;

    private final ConnectionSettings source;
    private final ConnectionSettings target;

    RbdCliTransfer(ConnectionSettings source, ConnectionSettings target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Streams the difference between {@code fromSnapshot} (or nothing) and {@code sourceSpec@snapshot}
     * into {@code targetSpec}.
     *
     * @return the number of bytes in the diff stream
     */
    long run(String sourceSpec, String snapshot, String fromSnapshot, String targetSpec, long volumeSize,
             ProgressListener progress) {
        List<Path> temporaryKeyrings = new ArrayList<>();
        try {
            List<String> export = new ArrayList<>(rbd(source, temporaryKeyrings));
            export.add("export-diff");
            if (fromSnapshot != null) {
                export.addAll(List.of("--from-snap", fromSnapshot));
            }
            export.addAll(List.of(sourceSpec + "@" + snapshot, "-"));
            List<String> importDiff = new ArrayList<>(rbd(target, temporaryKeyrings));
            importDiff.addAll(List.of("import-diff", "-", targetSpec));
            return pipe(export, importDiff, volumeSize, progress);
        } finally {
            for (Path keyring : temporaryKeyrings) {
                try {
                    Files.deleteIfExists(keyring);
                } catch (IOException ignored) {
                    // a 0600 file in the temp dir; nothing more to do
                }
            }
        }
    }

    /** {@code rbd --conf C --id U [--keyring K] --no-progress}; a key goes through a private keyring file. */
    private static List<String> rbd(ConnectionSettings side, List<Path> temporaryKeyrings) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", side.conf().toString(), "--id", side.user(),
                "--no-progress"));
        Optional<Path> keyring = side.keyring();
        if (side.key().isPresent()) {
            // Never put a key on a command line, where every user can read it.
            keyring = Optional.of(writeKeyring(side.user(), side.key().get()));
            temporaryKeyrings.add(keyring.get());
        }
        keyring.ifPresent(path -> command.addAll(List.of("--keyring", path.toString())));
        return command;
    }

    private static Path writeKeyring(String user, String key) {
        try {
            Path file = Files.createTempFile("cairn-keyring-", ".keyring",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "[client." + user + "]\n\tkey = " + key + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary keyring: " + e.getMessage(), e);
        }
    }

    private static long pipe(List<String> export, List<String> importDiff, long volumeSize, ProgressListener progress) {
        Process exporter = null;
        Process importer = null;
        try {
            exporter = new ProcessBuilder(export).start();
            importer = new ProcessBuilder(importDiff).start();
            StderrTail exportErrors = StderrTail.follow(exporter.getErrorStream());
            StderrTail importErrors = StderrTail.follow(importer.getErrorStream());
            importer.getInputStream().close();
            long streamed = 0;
            byte[] buffer = new byte[BUFFER];
            progress.onProgress(0, volumeSize);
            try (InputStream in = exporter.getInputStream(); OutputStream out = importer.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    streamed += n;
                    progress.onProgress(Math.min(streamed, volumeSize), volumeSize);
                }
            } catch (IOException e) {
                // import-diff died and closed its end; its exit code and stderr say why.
            }
            int exportExit = exporter.waitFor();
            int importExit = importer.waitFor();
            if (exportExit != 0 || importExit != 0) {
                throw new BackendException("rbd export-diff | rbd import-diff failed (exit codes " + exportExit + ", "
                        + importExit + "): " + exportErrors.text() + " " + importErrors.text());
            }
            progress.onProgress(volumeSize, volumeSize);
            return streamed;
        } catch (IOException e) {
            throw new BackendException("cannot run rbd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted during rbd export-diff | import-diff", e);
        } finally {
            for (Process process : new Process[] {exporter, importer}) {
                if (process != null && process.isAlive()) {
                    process.destroyForcibly();
                    try {
                        process.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
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
