package io.cairn.blockstore.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.blockstore.store.FileSync;
import io.cairn.blockstore.store.Manifest;
import io.cairn.blockstore.store.StoreLayout;
import io.cairn.blockstore.store.StoreLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stores a snapshot: reads it block by block, hashes each, writes the blocks the store does not have
 * yet, and then the backup's manifest. A full and an incremental backup do the same work; an
 * incremental also checks that its parent can be diffed from (its snapshot, by identity, and its
 * manifest) and skips the store's lookup for blocks equal to the parent's.
 *
 * <p>What it creates, it journals first: its staging directory ({@code tmp/<id>}) and its manifest
 * ({@code backups/<id>.manifest}). New blocks pass through the staging directory; once renamed into
 * {@code chunks/} they are the store's, shared by every backup that names them, and removed by the
 * garbage collector when none does. The whole transfer holds the store's lock shared, so no block it
 * relies on is removed before its manifest names it.
 */
public final class BlockTransfer implements TransferOperation {

    private final StoreContext store;

    public BlockTransfer(StoreContext store) {
        this.store = store;
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        VolumeSnapshot snapshot = request.snapshot();
        BackupId id = snapshot.backupId();
        Optional<Manifest> parent = request.parent().map(this::parentManifest);
        Path data = store.snapshots().data(snapshot.volume(), snapshot.name());
        checkOwnSnapshot(snapshot);
        Path staging = store.layout().staging(id);
        Path manifestFile = store.layout().manifest(id);
        boolean manifestCreated = false;
        try (StoreLock.Hold held = store.lock().shared(store.lockTimeout())) {
            StoredResource stagingDir = StoredResource.intended(StoreLayout.STAGING_KIND, StoreLayout.stagingName(id));
            request.journal().record(stagingDir);
            Files.createDirectories(staging);
            request.journal().record(stagingDir.withIdentity(identity(staging)));

            List<String> chunks = new ArrayList<>();
            long bytesWritten = storeBlocks(data, snapshot.sizeBytes(), parent, staging, chunks, request);
            Manifest manifest = new Manifest(id.value(), snapshot.volume().locator(), snapshot.sizeBytes(), store.chunkSize(),
                    snapshot.createdAt(), request.parent().map(p -> p.id().value()).orElse(null), snapshot.name(),
                    snapshot.identity(), request.labels(), chunks);
            Path tmp = staging.resolve("manifest.tmp");
            manifest.write(tmp);
            FileSync.force(tmp, store.sync());
            StoredResource manifestResource = StoredResource.intended(StoreLayout.MANIFEST_KIND, StoreLayout.manifestName(id));
            request.journal().record(manifestResource);
            Files.move(tmp, manifestFile, StandardCopyOption.ATOMIC_MOVE);
            manifestCreated = true;
            FileSync.force(manifestFile.getParent(), store.sync());
            request.journal().record(manifestResource.withIdentity(identity(manifestFile)));
            Files.deleteIfExists(staging);
            request.progress().onProgress(snapshot.sizeBytes(), snapshot.sizeBytes());
            return new TransferResult(parent.isPresent() ? BackupKind.INCREMENTAL : BackupKind.FULL,
                    ServiceMetadata.of("manifest", StoreLayout.manifestName(id)), snapshot.sizeBytes(), snapshot.sizeBytes(),
                    bytesWritten);
        } catch (IOException | RuntimeException e) {
            rollBack(staging, manifestCreated ? manifestFile : null, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("backup " + id + " of " + snapshot.volume() + " into " + store.layout().root()
                        + " failed: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private long storeBlocks(Path data, long size, Optional<Manifest> parent, Path staging, List<String> chunks,
            TransferRequest request) throws IOException {
        int chunkSize = store.chunkSize();
        byte[] block = new byte[chunkSize];
        long written = 0;
        try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
            if (in.size() != size) {
                throw new BackendException("snapshot " + data + " has " + in.size() + " bytes, not the " + size + " it was taken with");
            }
            int index = 0;
            for (long position = 0; position < size; position += chunkSize, index++) {
                int length = (int) Math.min(chunkSize, size - position);
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, length);
                while (buffer.hasRemaining()) {
                    if (in.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(data + " ended at " + (position + buffer.position()));
                    }
                }
                if (Zeros.isZero(block, length)) {
                    chunks.add(Manifest.ZERO);
                } else {
                    String hash = io.cairn.blockstore.store.ChunkStore.sha256(block, length);
                    boolean sameAsParent = parent.isPresent() && index < parent.get().chunks().size()
                            && parent.get().chunks().get(index).equals(hash);
                    if (!sameAsParent && store.chunks().put(hash, block, length, staging)) {
                        written += length;
                    }
                    chunks.add(hash);
                }
                request.progress().onProgress(position + length, size);
            }
        }
        return written;
    }

    /**
     * The parent's manifest, once its snapshot is known to be the very one recorded: the snapshot the host
     * hands over with the parent, or - from a host that hands none - the one the parent's manifest names.
     */
    private Manifest parentManifest(BackupRef parent) {
        Path file = store.layout().manifest(parent.id());
        Manifest manifest;
        try {
            manifest = Manifest.read(file);
        } catch (NoSuchFileException e) {
            throw new ChainBrokenException("the restore point of parent backup " + parent.id() + " is gone (" + file + ")", e);
        } catch (IOException e) {
            throw new ChainBrokenException("the restore point of parent backup " + parent.id() + " cannot be read: "
                    + e.getMessage(), e);
        }
        String name = parent.snapshot().map(VolumeSnapshot::name).orElse(manifest.snapshot());
        String identity = parent.snapshot().map(VolumeSnapshot::identity).orElse(manifest.snapshotIdentity());
        Optional<String> present;
        try {
            present = name.isEmpty() ? Optional.empty() : store.snapshots().identity(parent.volume(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + name + " of " + parent.volume() + ": " + e.getMessage(), e);
        }
        if (present.isEmpty()) {
            throw new ChainBrokenException("snapshot " + name + " of parent backup " + parent.id() + " is gone from "
                    + store.snapshots().directory(parent.volume()));
        }
        if (!identity.isEmpty() && !present.get().equals(identity)) {
            throw new ChainBrokenException("snapshot " + name + " of parent backup " + parent.id() + " is another"
                    + " snapshot of the same name (identity " + present.get() + ", recorded " + identity + ")");
        }
        return manifest;
    }

    private void checkOwnSnapshot(VolumeSnapshot snapshot) {
        try {
            Optional<String> present = store.snapshots().identity(snapshot.volume(), snapshot.name());
            if (present.isEmpty() || (snapshot.hasIdentity() && !present.get().equals(snapshot.identity()))) {
                throw new BackendException("snapshot " + snapshot.name() + " of " + snapshot.volume() + " is gone or was"
                        + " replaced since it was taken; take a new one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes what this transfer created, best effort; what stays is journaled, and removed by a delete. */
    private static void rollBack(Path staging, Path manifest, Exception cause) {
        try {
            if (manifest != null) {
                Files.deleteIfExists(manifest);
            }
            if (Files.isDirectory(staging)) {
                try (var files = Files.list(staging)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(staging);
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** A file's identity: its device and inode, which another file of the same name does not share. */
    static String identity(Path file) throws IOException {
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        return key == null ? "" : key.toString();
    }
}
