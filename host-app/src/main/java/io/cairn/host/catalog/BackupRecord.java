package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.model.StoredResource;
import io.cairn.host.policy.BackupEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup as the catalog remembers it.
 *
 * @param id               the backup's id
 * @param cluster          the cluster (its conf file name) it was taken on
 * @param volume           the volume or file backed up
 * @param kind             full or incremental
 * @param parent           the backup an incremental one was diffed from
 * @param chain            the id of the full backup that starts this backup's chain (its own id for a full)
 * @param status           where it is in its life
 * @param snapshot         the source snapshot, once taken: name, identity, and whether the host still holds it
 * @param volumeSizeBytes  the volume's size at the snapshot (0 until known)
 * @param bytesTransferred bytes read from the source
 * @param bytesWritten     bytes written to backup storage
 * @param startedAt        when the backup started
 * @param finishedAt       when it became available or failed
 * @param labels           operator labels
 * @param serviceMetadata  what the backend needs to restore or delete it
 * @param planReason       why it is full or incremental
 * @param errorReason      why it failed, for {@link BackupStatus#ERROR}
 */
public record BackupRecord(
        BackupId id,
        String cluster,
        VolumeRef volume,
        BackupKind kind,
        Optional<BackupId> parent,
        BackupId chain,
        BackupStatus status,
        Optional<SourceSnapshot> snapshot,
        long volumeSizeBytes,
        long bytesTransferred,
        long bytesWritten,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Map<String, String> labels,
        ServiceMetadata serviceMetadata,
        String planReason,
        Optional<String> errorReason) {

    public BackupRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(chain, "chain is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(snapshot, "snapshot is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(serviceMetadata, "serviceMetadata is null");
        Objects.requireNonNull(planReason, "planReason is null");
        Objects.requireNonNull(errorReason, "errorReason is null");
        if (kind == BackupKind.INCREMENTAL && parent.isEmpty()) {
            throw new IllegalArgumentException("incremental backup " + id + " has no parent");
        }
        if (kind == BackupKind.FULL && (parent.isPresent() || !chain.equals(id))) {
            throw new IllegalArgumentException("full backup " + id + " must start its own chain");
        }
    }

    /** A new backup in {@link BackupStatus#CREATING}. */
    public static BackupRecord creating(BackupId id, String cluster, VolumeRef volume, BackupKind kind,
            Optional<BackupRecord> parent, Map<String, String> labels, String planReason, Instant now) {
        return new BackupRecord(id, cluster, volume, kind, parent.map(BackupRecord::id),
                parent.map(BackupRecord::chain).orElse(id), BackupStatus.CREATING, Optional.empty(), 0, 0, 0, now,
                Optional.empty(), labels, ServiceMetadata.EMPTY, planReason, Optional.empty());
    }

    /**
     * What a backend needs to address this backup: its own metadata, its source snapshot while the host
     * holds it, and the resources recorded for it ({@link BackupCatalog#resources}) - never another
     * backup's.
     */
    public BackupRef ref(List<StoredResource> resources) {
        return new BackupRef(id, volume, serviceMetadata,
                snapshot.filter(SourceSnapshot::inPlace).map(s -> s.toVolumeSnapshot(id, volume)), resources);
    }

    /**
     * This backup as the pure policies see it: id, kind, parent, time and status, nothing else. The record's start
     * time is the backup's time (its snapshot follows at once).
     */
    public BackupEntry entry() {
        return new BackupEntry(id, kind, parent, startedAt, status);
    }

    /** The entries of a history, in its order ({@link #entry}). */
    public static List<BackupEntry> entries(List<BackupRecord> history) {
        return history.stream().map(BackupRecord::entry).toList();
    }

    /** The source snapshot's name, once taken. */
    public Optional<String> snapshotName() {
        return snapshot.map(SourceSnapshot::name);
    }

    /** Whether the backup's source snapshot is on the source as far as recorded: Cairn's and held, or external. */
    public boolean snapshotInPlace() {
        return snapshot.map(SourceSnapshot::inPlace).orElse(false);
    }

    /** Whether the host still holds the backup's source snapshot. */
    public boolean holdsSnapshot() {
        return snapshot.map(SourceSnapshot::isHeld).orElse(false);
    }

    public BackupRecord withStatus(BackupStatus newStatus) {
        return new BackupRecord(id, cluster, volume, kind, parent, chain, newStatus, snapshot, volumeSizeBytes,
                bytesTransferred, bytesWritten, startedAt, finishedAt, labels, serviceMetadata, planReason, errorReason);
    }

    public BackupRecord withSnapshot(SourceSnapshot taken) {
        return new BackupRecord(id, cluster, volume, kind, parent, chain, status, Optional.of(taken), volumeSizeBytes,
                bytesTransferred, bytesWritten, startedAt, finishedAt, labels, serviceMetadata, planReason, errorReason);
    }

    /** The same backup, with its snapshot, re-planned as the full start of a new chain, for the reason given. */
    public BackupRecord asNewChain(String reason) {
        return new BackupRecord(id, cluster, volume, BackupKind.FULL, Optional.empty(), id, status, snapshot,
                volumeSizeBytes, bytesTransferred, bytesWritten, startedAt, finishedAt, labels, serviceMetadata, reason,
                errorReason);
    }

    /** Stored completely. */
    public BackupRecord available(BackupKind storedKind, ServiceMetadata metadata, long sizeBytes, long transferred,
            long written, Instant finished) {
        if (storedKind != kind) {
            throw new IllegalStateException("backup " + id + " was planned " + kind.label() + " but the backend stored it "
                    + storedKind.label());
        }
        return new BackupRecord(id, cluster, volume, kind, parent, chain, BackupStatus.AVAILABLE, snapshot, sizeBytes,
                transferred, written, startedAt, Optional.of(finished), labels, metadata, planReason, Optional.empty());
    }

    /** The same status, with {@code reason} noted (a delete that failed and can be repeated). */
    public BackupRecord withErrorReason(String reason) {
        return new BackupRecord(id, cluster, volume, kind, parent, chain, status, snapshot, volumeSizeBytes,
                bytesTransferred, bytesWritten, startedAt, finishedAt, labels, serviceMetadata, planReason,
                Optional.of(reason));
    }

    /** Failed, for {@code reason}. */
    public BackupRecord failed(String reason, Instant finished) {
        return new BackupRecord(id, cluster, volume, kind, parent, chain, BackupStatus.ERROR, snapshot,
                volumeSizeBytes, bytesTransferred, bytesWritten, startedAt, Optional.of(finished), labels, serviceMetadata,
                planReason, Optional.of(reason));
    }
}
