package io.cairn.blockstore.ops;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.option.ByteSize;
import io.cairn.blockstore.store.FileSync;
import io.cairn.blockstore.store.GarbageCollector;
import io.cairn.blockstore.store.StoreLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes a backup: its manifest and its staging directory, the two things it owns (both named by its
 * id, both journaled), then - if no backup or restore is using the store - every block no remaining
 * manifest names. It needs nothing else: a never-finished backup (empty metadata) is deleted the same
 * way, and other backups' manifests and blocks they name are never touched. Removing the manifest is
 * one atomic unlink, so a crash leaves the backup either whole or gone, and at worst some unused
 * blocks that a later delete removes.
 */
public final class BlockDelete implements DeleteOperation {

    private final StoreContext store;

    public BlockDelete(StoreContext store) {
        this.store = store;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        BackupId id = request.backup().id();
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            Path manifest = store.layout().manifest(id);
            if (isStill(manifest, recorded(request, StoreLayout.manifestName(id)), notes)) {
                Files.deleteIfExists(manifest);
                FileSync.force(manifest.getParent(), store.sync());
                removed.add("manifest " + StoreLayout.manifestName(id));
            }
            Path staging = store.layout().staging(id);
            if (isStill(staging, recorded(request, StoreLayout.stagingName(id)), notes)) {
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(staging);
                removed.add("staging directory " + StoreLayout.stagingName(id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("delete of backup " + id + " from " + store.layout().root() + " failed: "
                    + e.getMessage(), e);
        }
        GarbageCollector.Sweep sweep = store.collector().sweepIfIdle();
        if (sweep.ran() && sweep.chunksRemoved() > 0) {
            removed.add(sweep.chunksRemoved() + " blocks no backup uses (" + ByteSize.format(sweep.bytesRemoved()) + ")");
        }
        if (!sweep.note().isEmpty()) {
            notes.add(sweep.note());
        }
        return new DeleteResult(removed, notes);
    }

    /** The resource the host recorded under this name for the backup, if any. */
    private static StoredResource recorded(DeleteRequest request, String name) {
        return request.backup().resources().stream().filter(r -> r.name().equals(name)).reduce((a, b) -> b).orElse(null);
    }

    /**
     * Whether {@code path}, named by the backup's own id, exists and is still what was recorded: an object
     * whose identity differs from the recorded one was made by someone else and stays.
     */
    private static boolean isStill(Path path, StoredResource recorded, List<String> notes) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        if (recorded != null && recorded.hasIdentity() && !BlockTransfer.identity(path).equals(recorded.identity())) {
            notes.add(path + " is not the " + recorded + " recorded for this backup (another object of the same name);"
                    + " left alone");
            return false;
        }
        return true;
    }
}
