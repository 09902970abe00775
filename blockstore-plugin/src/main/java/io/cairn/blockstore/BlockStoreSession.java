package io.cairn.blockstore;

import io.cairn.api.BackendSession;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VolumeListing;
import io.cairn.api.option.ByteSize;
import io.cairn.blockstore.ops.BlockDelete;
import io.cairn.blockstore.ops.BlockInventory;
import io.cairn.blockstore.ops.BlockVerify;
import io.cairn.blockstore.ops.BlockRestore;
import io.cairn.blockstore.ops.BlockTransfer;
import io.cairn.blockstore.ops.ImageListing;
import io.cairn.blockstore.ops.ImageSnapshots;
import io.cairn.blockstore.ops.SnapshotCopier;
import io.cairn.blockstore.ops.SnapshotFiles;
import io.cairn.blockstore.ops.StoreContext;
import io.cairn.blockstore.store.ChunkStore;
import io.cairn.blockstore.store.GarbageCollector;
import io.cairn.blockstore.store.StoreFormat;
import io.cairn.blockstore.store.StoreLayout;
import io.cairn.blockstore.store.StoreLock;
import java.util.Optional;

/** A session over one volumes directory and one block store; nothing to close but what the JDK holds. */
final class BlockStoreSession implements BackendSession {

    private final StoreContext store;

    private BlockStoreSession(StoreContext store) {
        this.store = store;
    }

    static BlockStoreSession open(BlockStoreSettings settings) {
        StoreLayout layout = new StoreLayout(settings.storeDir());
        StoreFormat.openOrCreate(layout, settings.chunkSize());
        StoreLock lock = StoreLock.of(layout.lockFile());
        return new BlockStoreSession(new StoreContext(settings.clusterName(), settings.volumesDir(),
                new SnapshotFiles(settings.snapshotDir()), new SnapshotCopier(settings.snapshots()), layout,
                new ChunkStore(layout, settings.sync()), lock, new GarbageCollector(layout, lock), settings.chunkSize(),
                settings.sync(), settings.lockTimeout()));
    }

    @Override
    public SnapshotOperation snapshots() {
        return new ImageSnapshots(store);
    }

    @Override
    public TransferOperation transfers() {
        return new BlockTransfer(store);
    }

    @Override
    public RestoreOperation restores() {
        return new BlockRestore(store);
    }

    @Override
    public DeleteOperation deletions() {
        return new BlockDelete(store);
    }

    @Override
    public Optional<VolumeListing> volumeListing() {
        return Optional.of(new ImageListing(store));
    }

    @Override
    public Optional<VerifyOperation> verification() {
        return Optional.of(new BlockVerify(store));
    }

    @Override
    public Optional<InventoryOperation> inventory() {
        return Optional.of(new BlockInventory(store));
    }

    @Override
    public String describe() {
        return "volumes in " + store.volumesDir() + ", block store " + store.layout().root() + " ("
                + ByteSize.format(store.chunkSize()) + " blocks), snapshots in " + store.snapshots().root();
    }

    @Override
    public void close() {
    }
}
