package io.cairn.api.operation;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup an {@link InventoryOperation} found in backup storage.
 *
 * @param id         the backup's id
 * @param volume     the volume it was taken of, as the backend names volumes
 * @param kind       full or incremental
 * @param parent     the backup an incremental one was diffed from (which may itself be gone)
 * @param createdAt  when its source snapshot was taken
 * @param finishedAt when its restore point was completed, where the backend can tell
 * @param sizeBytes  the volume's size at the snapshot
 * @param labels     its labels
 * @param metadata   the service metadata a transfer would have returned for it
 * @param snapshot   its source snapshot, only when it still exists with the recorded name and identity
 * @param resources  its storage objects as they exist now, with their identities, as the journal would
 *                   have recorded them
 * @param state      whether its restore point is complete
 * @param origin     empty for the backend's own backups; otherwise who wrote it (for example "OpenStack
 *                   Cinder's Ceph backup driver"): restorable, but not the host's to delete unless adopted
 * @param notes      what the operator should know about it (what is missing of an incomplete backup,
 *                   what could not be told)
 * @since plugin API 1.1
 */
public record FoundBackup(BackupId id, VolumeRef volume, BackupKind kind, Optional<BackupId> parent, Instant createdAt,
        Optional<Instant> finishedAt, long sizeBytes, Map<String, String> labels, ServiceMetadata metadata,
        Optional<VolumeSnapshot> snapshot, List<StoredResource> resources, State state, String origin,
        List<String> notes) {

    public FoundBackup {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(metadata, "metadata is null");
        Objects.requireNonNull(snapshot, "snapshot is null");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources is null"));
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(origin, "origin is null");
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative: " + sizeBytes);
        }
        if (kind == BackupKind.INCREMENTAL && parent.isEmpty()) {
            throw new IllegalArgumentException("incremental backup " + id + " has no parent");
        }
        if (kind == BackupKind.FULL && parent.isPresent()) {
            throw new IllegalArgumentException("full backup " + id + " has a parent");
        }
    }

    /** Whether another tool wrote it (see {@link #origin()}). */
    public boolean foreign() {
        return !origin.isEmpty();
    }

    /** How complete a found backup is. */
    public enum State {
        /** Its restore point is complete: it can be restored. */
        RESTORABLE,
        /**
         * Parts of it exist but no complete restore point (a backup that never finished, or a delete
         * that was interrupted): not restorable; deleting it removes what is left.
         */
        INCOMPLETE
    }
}
