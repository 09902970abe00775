package io.cairn.blockstore;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A cluster file's values, checked together and typed.
 *
 * @param clusterName the operator's name for the cluster, for messages
 * @param volumesDir  where the volumes are
 * @param storeDir    the block store
 * @param chunkSize   the store's block size
 * @param snapshots   {@code auto}, {@code reflink} or {@code copy}
 * @param snapshotDir where snapshots are kept
 * @param sync        whether to fsync before a backup counts as stored
 * @param lockTimeout longest wait for the store's lock
 */
public record BlockStoreSettings(String clusterName, Path volumesDir, Path storeDir, int chunkSize, String snapshots,
        Path snapshotDir, boolean sync, Duration lockTimeout) {

    public static BlockStoreSettings from(String clusterName, OptionValues options) {
        Path volumes = options.path(BlockStoreOptions.VOLUMES_DIR).toAbsolutePath().normalize();
        if (!Files.isDirectory(volumes)) {
            throw new InvalidConfigurationException(BlockStoreOptions.VOLUMES_DIR, "directory " + volumes + " does not exist");
        }
        long chunk = options.size(BlockStoreOptions.CHUNK_SIZE);
        if (Long.bitCount(chunk) != 1) {
            throw new InvalidConfigurationException(BlockStoreOptions.CHUNK_SIZE, options.display(BlockStoreOptions.CHUNK_SIZE)
                    + " is not a power of two (64KiB, 1MiB, 4MiB, ...)");
        }
        Path store = options.path(BlockStoreOptions.STORE_DIR).toAbsolutePath().normalize();
        Path snapshotDir = options.optionalPath(BlockStoreOptions.SNAPSHOT_DIR).map(p -> p.toAbsolutePath().normalize())
                .orElse(volumes.resolve(".cairn-snapshots"));
        // A store among the volumes would be listed, and could be backed up, as volumes; a hidden directory is not.
        if (store.startsWith(volumes) && (store.equals(volumes) || !volumes.relativize(store).getName(0).toString().startsWith("."))) {
            throw new InvalidConfigurationException(BlockStoreOptions.STORE_DIR, store + " is inside volumes_dir " + volumes
                    + ", where its files would look like volumes; put it elsewhere, or in a directory whose name starts with '.'");
        }
        return new BlockStoreSettings(clusterName, volumes, store, (int) chunk,
                options.string(BlockStoreOptions.SNAPSHOTS), snapshotDir, options.bool(BlockStoreOptions.SYNC),
                options.duration(BlockStoreOptions.LOCK_TIMEOUT));
    }
}
