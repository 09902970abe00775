package io.cairn.host.testbackend;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Stores a snapshot as a full copy; for an incremental backup, checks the parent is still stored
 * (else the chain is broken) and counts as written only the blocks that differ from it.
 */
final class DirectoryTransfers implements TransferOperation {

    private final DirectoryLayout layout;

    DirectoryTransfers(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        Path snapshot = layout.snapshotsOf(request.snapshot().volume()).resolve(request.snapshot().name());
        Path target = layout.stored(request.snapshot().backupId());
        try {
            Path parent = request.parent().map(this::storedParent).orElse(null);
            long size = DirectoryLayout.size(snapshot);
            if (layout.storedBytes() + size > layout.quota()) {
                throw new BackendException("backup " + request.snapshot().backupId() + " of " + request.snapshot().volume()
                        + " needs " + size + " bytes, which exceeds the quota of " + layout.quota() + " bytes in "
                        + layout.backupDir());
            }
            Files.createDirectories(target.getParent());
            long written = copy(snapshot, parent, target, request);
            BackupKind kind = parent == null ? BackupKind.FULL : BackupKind.INCREMENTAL;
            return new TransferResult(kind, ServiceMetadata.of("file", target.getFileName().toString()), size, size, written);
        } catch (RuntimeException | IOException e) {
            // The contract: remove what this transfer created, including the request's snapshot.
            deleteQuietly(target);
            deleteQuietly(snapshot);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private Path storedParent(BackupRef parent) {
        String file = parent.metadata().get("file").orElseThrow(
                () -> new ChainBrokenException("parent " + parent.id() + " has no stored file in its metadata"));
        Path stored = layout.backupDir().resolve("store").resolve(file);
        if (!Files.isRegularFile(stored)) {
            throw new ChainBrokenException("parent " + parent.id() + " is no longer stored (" + stored + " is missing)");
        }
        return stored;
    }

    private long copy(Path snapshot, Path parent, Path target, TransferRequest request) throws IOException {
        long total = DirectoryLayout.size(snapshot);
        int block = (int) layout.blockSize();
        long done = 0;
        long written = 0;
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(snapshot);
                InputStream previous = parent == null ? InputStream.nullInputStream() : Files.newInputStream(parent);
                OutputStream out = Files.newOutputStream(target)) {
            byte[] data = new byte[block];
            byte[] old = new byte[block];
            int n;
            while ((n = in.readNBytes(data, 0, block)) > 0) {
                int m = previous.readNBytes(old, 0, n);
                out.write(data, 0, n);
                if (parent == null || m != n || !Arrays.equals(data, 0, n, old, 0, n)) {
                    written += n;
                }
                done += n;
                request.progress().onProgress(done, total);
                throttle(done, started);
            }
        }
        request.progress().onProgress(total, total);
        return written;
    }

    /** Sleeps until {@code done} bytes are due at the layout's rate. */
    private void throttle(long done, long started) {
        if (layout.bytesPerSecond() == Long.MAX_VALUE) {
            return;
        }
        long due = started + (long) (done * 1e9 / layout.bytesPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while copying");
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the failure being reported matters more
        }
    }
}
