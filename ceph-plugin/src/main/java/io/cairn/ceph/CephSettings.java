package io.cairn.ceph;

import io.cairn.ceph.cluster.ConnectionSettings;
import io.cairn.api.option.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Ceph backend's options for one cluster, typed and with the source side's defaults applied.
 */
public record CephSettings(
        ConnectionSettings backupSide,
        ConnectionSettings sourceSide,
        String pool,
        long chunkSize,
        long stripeUnit,
        int stripeCount,
        boolean imageJournals,
        boolean restoreDiscardExcessBytes,
        boolean rbdCliTransfer,
        int parallelIos,
        boolean recordDigests,
        int deleteRetries,
        Duration deleteRetryInterval) {

    /** Reads validated options; the source side defaults to the backup side's values. */
    public static CephSettings from(String clusterName, OptionValues options) {
        Duration timeout = options.duration(CephOptions.TIMEOUT);
        Path conf = options.path(CephOptions.CONF);
        String user = options.string(CephOptions.USER);
        Optional<Path> keyring = options.optionalPath(CephOptions.KEYRING);
        Optional<String> key = options.optionalString(CephOptions.KEY);
        ConnectionSettings backup = new ConnectionSettings(clusterName, "backup", conf, user, keyring, key, timeout);

        Optional<String> sourceUser = options.optionalString(CephOptions.SOURCE_USER);
        boolean sameUser = sourceUser.isEmpty() || sourceUser.get().equals(user);
        Optional<Path> sourceKeyring = options.optionalPath(CephOptions.SOURCE_KEYRING)
                .or(() -> sameUser ? keyring : Optional.empty());
        Optional<String> sourceKey = options.optionalString(CephOptions.SOURCE_KEY)
                .or(() -> sameUser ? key : Optional.empty());
        ConnectionSettings source = new ConnectionSettings(clusterName, "source",
                options.optionalPath(CephOptions.SOURCE_CONF).orElse(conf), sourceUser.orElse(user),
                sourceKeyring, sourceKey, timeout);

        return new CephSettings(backup, source,
                options.string(CephOptions.POOL),
                options.size(CephOptions.CHUNK_SIZE),
                options.size(CephOptions.STRIPE_UNIT),
                options.integer(CephOptions.STRIPE_COUNT),
                options.bool(CephOptions.IMAGE_JOURNALS),
                options.bool(CephOptions.RESTORE_DISCARD_EXCESS_BYTES),
                options.string(CephOptions.TRANSFER).equals(CephOptions.TRANSFER_RBD_CLI),
                options.integer(CephOptions.PARALLEL_IOS),
                options.bool(CephOptions.RECORD_DIGESTS),
                options.integer(CephOptions.DELETE_RETRIES),
                options.duration(CephOptions.DELETE_RETRY_INTERVAL));
    }

    /** Whether volumes and backups live on one cluster, reached as one user. */
    public boolean sameCluster() {
        return backupSide.sameConnectionAs(sourceSide);
    }

    /**
     * The IO size of full copies (files, restores over existing data): {@code chunk_size} spread over
     * {@code parallel_ios} requests, 4 KiB aligned, between 64 KiB and 32 MiB.
     */
    public int fullCopyIoSize() {
        long perIo = chunkSize / parallelIos / 4096 * 4096;
        return (int) Math.max(64 * 1024, Math.min(32L << 20, perIo));
    }

    @Override
    public String toString() {
        // Keys are secrets: never part of a string that could reach a log.
        return "CephSettings[backup=" + backupSide.describe() + ", source=" + sourceSide.describe() + ", pool=" + pool
                + "]";
    }
}
