package io.cairn.ceph;

import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;

/**
 * The options of the Ceph backend, declared once: the host validates cluster files against them and
 * the README's table is generated from them.
 */
public final class CephOptions {

    public static final String CONF = "conf";
    public static final String USER = "user";
    public static final String KEYRING = "keyring";
    public static final String KEY = "key";
    public static final String POOL = "pool";
    public static final String SOURCE_CONF = "source_conf";
    public static final String SOURCE_USER = "source_user";
    public static final String SOURCE_KEYRING = "source_keyring";
    public static final String SOURCE_KEY = "source_key";
    public static final String CHUNK_SIZE = "chunk_size";
    public static final String STRIPE_UNIT = "stripe_unit";
    public static final String STRIPE_COUNT = "stripe_count";
    public static final String IMAGE_JOURNALS = "image_journals";
    public static final String RESTORE_DISCARD_EXCESS_BYTES = "restore_discard_excess_bytes";
    public static final String TRANSFER = "transfer";
    public static final String PARALLEL_IOS = "parallel_ios";
    public static final String RECORD_DIGESTS = "record_digests";
    public static final String TIMEOUT = "timeout";
    public static final String DELETE_RETRIES = "delete_retries";
    public static final String DELETE_RETRY_INTERVAL = "delete_retry_interval";

    public static final String TRANSFER_NATIVE = "native";
    public static final String TRANSFER_RBD_CLI = "rbd-cli";

    public static final OptionDefinitions DEFINITIONS = OptionDefinitions.of(
            OptionDefinition.builder(CONF, OptionType.PATH).defaultValue("/etc/ceph/ceph.conf")
                    .doc("ceph.conf of the cluster that stores the backups (monitor addresses, usually the keyring).")
                    .build(),
            OptionDefinition.builder(USER, OptionType.STRING).defaultValue("admin")
                    .doc("cephx user on the backup cluster, with or without the 'client.' prefix. Needs"
                            + " 'profile rbd' on the backup pool.")
                    .build(),
            OptionDefinition.builder(KEYRING, OptionType.PATH)
                    .doc("Keyring file of the backup-side user, when ceph.conf does not name it.")
                    .build(),
            OptionDefinition.builder(KEY, OptionType.STRING).secret()
                    .doc("The backup-side user's cephx key itself, instead of a keyring file. Never shown.")
                    .build(),
            OptionDefinition.builder(POOL, OptionType.STRING).defaultValue("backups")
                    .doc("Pool that holds base images and metadata objects.")
                    .build(),
            OptionDefinition.builder(SOURCE_CONF, OptionType.PATH)
                    .doc("ceph.conf of the cluster whose volumes are backed up; default: the backup side's"
                            + " (same cluster).")
                    .build(),
            OptionDefinition.builder(SOURCE_USER, OptionType.STRING)
                    .doc("cephx user on the source cluster; default: the backup side's. Needs 'profile rbd'"
                            + " on the volume pools (snapshots are created and removed).")
                    .build(),
            OptionDefinition.builder(SOURCE_KEYRING, OptionType.PATH)
                    .doc("Keyring file of the source-side user; default: the backup side's when the user is"
                            + " the same.")
                    .build(),
            OptionDefinition.builder(SOURCE_KEY, OptionType.STRING).secret()
                    .doc("The source-side user's cephx key itself. Never shown.")
                    .build(),
            OptionDefinition.builder(CHUNK_SIZE, OptionType.SIZE).defaultValue("128MiB").unit("bytes")
                    .minimum(64 * 1024).maximum(1L << 30)
                    .doc("Data a full copy (file source or target, restore over an existing image) keeps in"
                            + " flight at once, split over parallel_ios requests; bounds its memory.")
                    .build(),
            OptionDefinition.builder(STRIPE_UNIT, OptionType.SIZE).defaultValue("0").unit("bytes")
                    .doc("RBD stripe unit of new base images; 0 keeps librbd's default (the object size).")
                    .build(),
            OptionDefinition.builder(STRIPE_COUNT, OptionType.INTEGER).defaultValue("0").minimum(0)
                    .doc("RBD stripe count of new base images; 0 keeps librbd's default (1).")
                    .build(),
            OptionDefinition.builder(IMAGE_JOURNALS, OptionType.BOOLEAN).defaultValue("false")
                    .doc("Enable exclusive-lock and journaling on new base images, so the backup pool can be"
                            + " mirrored with rbd-mirror.")
                    .build(),
            OptionDefinition.builder(RESTORE_DISCARD_EXCESS_BYTES, OptionType.BOOLEAN).defaultValue("true")
                    .doc("When restoring over a target larger than the backup, zero (discard) the bytes"
                            + " past the backup's end.")
                    .build(),
            OptionDefinition.builder(TRANSFER, OptionType.ENUM).defaultValue(TRANSFER_NATIVE)
                    .allowedValues(TRANSFER_NATIVE, TRANSFER_RBD_CLI)
                    .doc("How RBD backups move data: 'native' through librbd (parallel, zero-aware), or"
                            + " 'rbd-cli' through 'rbd export-diff | rbd import-diff' (the reference's way).")
                    .build(),
            OptionDefinition.builder(PARALLEL_IOS, OptionType.INTEGER).defaultValue("8").minimum(1).maximum(256)
                    .doc("Reads and writes in flight at once during a native transfer or restore. When more than two"
                            + " run at once in one process through this cluster file, they share twice this many.")
                    .build(),
            OptionDefinition.builder(RECORD_DIGESTS, OptionType.BOOLEAN).defaultValue("true")
                    .doc("Record the SHA-256 of every chunk of each backup beside it (64 KiB chunks on volumes up"
                            + " to 8 GiB, larger on larger ones, at most 4 MiB), so that cairn verify can prove it"
                            + " later. Off saves an incremental reading whole chunks where it changed part of one; such"
                            + " backups can then be verified only against their source snapshot.")
                    .build(),
            OptionDefinition.builder(TIMEOUT, OptionType.DURATION).defaultValue("30s").unit("seconds")
                    .doc("Longest wait on the cluster without progress: connecting, each monitor or OSD"
                            + " operation, each librbd call and IO, an rbd child's stream. An unreachable or stalled"
                            + " cluster fails the operation after about this long, naming what it waited for.")
                    .build(),
            OptionDefinition.builder(DELETE_RETRIES, OptionType.INTEGER).defaultValue("3").minimum(0).maximum(20)
                    .doc("How often removing a base image is retried while it is busy (still open elsewhere).")
                    .build(),
            OptionDefinition.builder(DELETE_RETRY_INTERVAL, OptionType.DURATION).defaultValue("5s")
                    .unit("seconds")
                    .doc("Wait before the first retry of a busy base image; doubles with each retry.")
                    .build());

    private CephOptions() {
    }
}
