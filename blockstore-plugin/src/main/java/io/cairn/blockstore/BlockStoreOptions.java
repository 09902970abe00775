package io.cairn.blockstore;

import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;

/** The options of a block store cluster file, declared once: types, defaults, documentation. */
final class BlockStoreOptions {

    static final String VOLUMES_DIR = "volumes_dir";
    static final String STORE_DIR = "store_dir";
    static final String CHUNK_SIZE = "chunk_size";
    static final String SNAPSHOTS = "snapshots";
    static final String SNAPSHOT_DIR = "snapshot_dir";
    static final String SYNC = "sync";
    static final String LOCK_TIMEOUT = "lock_timeout";

    static final OptionDefinitions DEFINITIONS = OptionDefinitions.of(
            OptionDefinition.builder(VOLUMES_DIR, OptionType.PATH).required()
                    .doc("Directory holding the volumes: raw or sparse image files, and block devices (symlinks to"
                            + " them). A volume is named by its path below it: vm1.img, images/vm1.img.")
                    .build(),
            OptionDefinition.builder(STORE_DIR, OptionType.PATH).required()
                    .doc("Directory of the content-addressed block store the backups go to (a NAS mount, another"
                            + " disk); created when missing. Several clusters and hosts may share one store.")
                    .build(),
            OptionDefinition.builder(CHUNK_SIZE, OptionType.SIZE).defaultValue("1MiB").minimum(64 * 1024)
                    .maximum(64L << 20).unit("bytes")
                    .doc("Size of the blocks the store keeps once each, by their SHA-256; a power of two. Fixed for a"
                            + " store by its first backup.")
                    .build(),
            OptionDefinition.builder(SNAPSHOTS, OptionType.ENUM).defaultValue("auto").allowedValues("auto", "reflink", "copy")
                    .doc("How a volume is frozen for a backup: 'reflink' clones it (instant, copy-on-write; needs"
                            + " XFS, btrfs or NFS 4.2 with clone support), 'copy' copies it (sparse; costs the"
                            + " volume's data in time and space), 'auto' clones where the file system can and copies"
                            + " elsewhere. The newest backup's snapshot of each volume is kept for the next one.")
                    .build(),
            OptionDefinition.builder(SNAPSHOT_DIR, OptionType.PATH)
                    .doc("Where snapshots are kept; default: .cairn-snapshots in volumes_dir (the same file system,"
                            + " so that reflink works).")
                    .build(),
            OptionDefinition.builder(SYNC, OptionType.BOOLEAN).defaultValue("true")
                    .doc("Flush chunks, manifests and directories to disk (fsync) before a backup counts as stored, so"
                            + " that a power cut loses none. Turn off only for throwaway stores.")
                    .build(),
            OptionDefinition.builder(LOCK_TIMEOUT, OptionType.DURATION).defaultValue("5m")
                    .doc("Longest wait for the store's lock: a backup or restore waits while unused chunks are"
                            + " removed, which happens only when no backup runs.")
                    .build());

    private BlockStoreOptions() {
    }
}
