package io.cairn.blockstore.ops;

import io.cairn.blockstore.store.ChunkStore;
import io.cairn.blockstore.store.GarbageCollector;
import io.cairn.blockstore.store.StoreLayout;
import io.cairn.blockstore.store.StoreLock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the operations of one session share: where volumes, snapshots and the store are, and the
 * store's blocks and lock.
 *
 * @param clusterName the operator's name for the cluster, in messages
 * @param volumesDir  the volumes
 * @param snapshots   the snapshot files
 * @param copier      how snapshots are made
 * @param layout      the store's layout
 * @param chunks      the store's blocks
 * @param lock        the store's lock
 * @param collector   removes blocks no backup uses
 * @param chunkSize   the store's block size
 * @param sync        whether to flush before a backup counts as stored
 * @param lockTimeout the longest wait for the lock
 */
public record StoreContext(String clusterName, Path volumesDir, SnapshotFiles snapshots, SnapshotCopier copier,
        StoreLayout layout, ChunkStore chunks, StoreLock lock, GarbageCollector collector, int chunkSize, boolean sync,
        Duration lockTimeout) {

    /** Whether {@code path} lies in the store or among the snapshots: never a restore target. */
    public boolean isBackupStorage(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        return normalized.startsWith(layout.root()) || normalized.startsWith(snapshots.root());
    }
}
