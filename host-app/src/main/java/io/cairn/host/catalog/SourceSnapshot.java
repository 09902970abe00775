package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.time.Instant;
import java.util.Objects;

/**
 * A backup's snapshot of its source volume as the catalog records it: what the backend returned when
 * it took it, and whether the host still holds it. The host owns the snapshot from creation to removal
 * and removes only what is recorded here, by name and identity.
 *
 * @param name      the backend's name for it ({@code backup.<id>.snap.<time>})
 * @param identity  the backend's identity of it (for Ceph the rbd snapshot id); empty when the backend
 *                  gives none (files, plugin API 1.0, or a backup recorded before identities were)
 * @param sizeBytes the volume's size at the snapshot
 * @param takenAt   when it was taken
 * @param state     held while it is on the source volume as the host's, removed once the host removed it
 */
public record SourceSnapshot(String name, String identity, long sizeBytes, Instant takenAt, HoldState state) {

    public SourceSnapshot {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(identity, "identity is null");
        Objects.requireNonNull(takenAt, "takenAt is null");
        Objects.requireNonNull(state, "state is null");
    }

    /** A snapshot just taken: held. */
    public static SourceSnapshot taken(VolumeSnapshot snapshot) {
        return new SourceSnapshot(snapshot.name(), snapshot.identity(), snapshot.sizeBytes(), snapshot.createdAt(),
                HoldState.HELD);
    }

    /**
     * A snapshot about to be taken, recorded by the exact name the backend announced before taking it: held,
     * without identity or size yet. Should the process die before the snapshot is recorded as taken, the
     * clean-up of the backup removes a snapshot of this name (its name carries the backup's id), or finds none.
     */
    public static SourceSnapshot intended(String name, Instant at) {
        return new SourceSnapshot(name, "", 0, at, HoldState.HELD);
    }

    /**
     * An existing snapshot that is not Cairn's, a backup was made from as it is: recorded, never removed by
     * Cairn.
     */
    public static SourceSnapshot external(VolumeSnapshot snapshot) {
        return new SourceSnapshot(snapshot.name(), snapshot.identity(), snapshot.sizeBytes(), snapshot.createdAt(),
                HoldState.EXTERNAL);
    }

    /** Whether the host holds it as its own, and removes it once it has no use. */
    public boolean isHeld() {
        return state == HoldState.HELD;
    }

    /** Whether it is not Cairn's: an existing snapshot, never removed by Cairn. */
    public boolean isExternal() {
        return state == HoldState.EXTERNAL;
    }

    /** Whether it is on the source as far as the catalog knows (Cairn's and held, or external): diffable. */
    public boolean inPlace() {
        return state != HoldState.REMOVED;
    }

    public SourceSnapshot removed() {
        return new SourceSnapshot(name, identity, sizeBytes, takenAt, HoldState.REMOVED);
    }

    /** The snapshot as the backend addresses it. */
    public VolumeSnapshot toVolumeSnapshot(BackupId backup, VolumeRef volume) {
        return new VolumeSnapshot(backup, volume, name, sizeBytes, takenAt, identity);
    }

    /** {@code backup.<id>.snap.<time> (id 12, held)}. */
    @Override
    public String toString() {
        return name + " (" + (identity.isEmpty() ? "" : "id " + identity + ", ") + state.label() + ")";
    }
}
