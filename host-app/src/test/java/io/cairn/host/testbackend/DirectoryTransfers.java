package io.cairn.host.testbackend;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
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
 * Stores a snapshot as a full copy, {@code store/<id>.img}, journaled before it is created and again
 * with its file identity once written. For an incremental backup, checks that the parent is still
 * stored and that its recorded snapshot is still the same file (else the chain is broken), and counts
 * as written only the blocks that differ from the parent. On failure it removes the copy it created;
 * the source snapshot is the host's.
 */
final class DirectoryTransfers implements TransferOperation {

    /** Service metadata key naming the stored copy (kept for catalogs written before resources were). */
    static final String FILE = "file";
    /** Resource kind of a stored copy; its name is the file's path. */
    static final String STORED_COPY = "stored-copy";

    private final DirectoryLayout layout;

    DirectoryTransfers(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        Path snapshot = layout.snapshotsOf(request.snapshot().volume()).resolve(request.snapshot().name());
        Path target = layout.stored(request.snapshot().backupId());
        boolean created = false;
        boolean cutOff = false;
        try {
            Path parent = request.parent().map(this::storedParent).orElse(null);
            long size = DirectoryLayout.size(snapshot);
            if (layout.storedBytes() + size > layout.quota()) {
                throw new BackendException("backup " + request.snapshot().backupId() + " of " + request.snapshot().volume()
                        + " needs " + size + " bytes, which exceeds the quota of " + layout.quota() + " bytes in "
                        + layout.backupDir());
            }
            Files.createDirectories(target.getParent());
            StoredResource copy = StoredResource.intended(STORED_COPY, target.toString());
            request.journal().record(copy);
            created = !Files.exists(target);
            long written;
            try {
                written = copy(snapshot, parent, target, request);
            } catch (CutOff e) {
                cutOff = true;
                throw e;
            }
            request.journal().record(copy.withIdentity(DirectoryLayout.identity(target)));
            BackupKind kind = parent == null ? BackupKind.FULL : BackupKind.INCREMENTAL;
            return new TransferResult(kind, ServiceMetadata.of(FILE, target.getFileName().toString()), size, size, written);
        } catch (RuntimeException | IOException e) {
            // Remove what this transfer created; the snapshot is the host's.
            if (created && !cutOff) {
                deleteQuietly(target);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The parent's stored copy, named by its id; its recorded snapshot must still be the same file. */
    private Path storedParent(BackupRef parent) {
        Path stored = layout.stored(parent.id());
        if (!Files.isRegularFile(stored)) {
            throw new ChainBrokenException("parent " + parent.id() + " is no longer stored (" + stored + " is missing)");
        }
        if (parent.snapshot().isPresent()) {
            VolumeSnapshot recorded = parent.snapshot().get();
            String now = DirectoryLayout.identity(layout.snapshotsOf(recorded.volume()).resolve(recorded.name()));
            if (now.isEmpty()) {
                throw new ChainBrokenException("snapshot " + recorded.name() + " of parent " + parent.id() + " is gone");
            }
            if (recorded.hasIdentity() && !now.equals(recorded.identity())) {
                throw new ChainBrokenException("snapshot " + recorded.name() + " of parent " + parent.id()
                        + " is another file of the same name (" + now + ", recorded " + recorded.identity() + ")");
            }
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
                if (done >= layout.failTransferAfter()) {
                    throw new CutOff("backup " + request.snapshot().backupId() + ": storage stopped answering after "
                            + done + " bytes (fail_transfer_after); its partial copy " + target + " could not be removed");
                }
                layout.throttle(done, started);
            }
        }
        request.progress().onProgress(total, total);
        return written;
    }

    /** The backend lost storage mid-way: what it wrote stays, as its rollback cannot reach it either. */
    private static final class CutOff extends BackendException {
        private static final long serialVersionUID = 1L;

        CutOff(String message) {
            super(message);
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
