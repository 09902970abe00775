package io.cairn.api.operation;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks to store {@code snapshot} as a backup.
 *
 * @param snapshot what to copy, as returned by {@link SnapshotOperation#create}
 * @param parent   empty for a full backup; for an incremental one, the backup to diff from (the newest
 *                 backup of the volume's current chain), with its source snapshot as the host
 *                 recorded it - the diff must start from exactly that snapshot (name and identity)
 * @param labels   operator labels kept with the backup and restored with it
 * @param progress receives progress reports
 * @param journal  where to record each storage object before creating it (since plugin API 1.1)
 * @param groupImage for a member of a backup set: the volume's image in the set's group snapshot
 *                 ({@link io.cairn.api.model.GroupSnapshot#members()}), the instant every member shares;
 *                 the data stored is read from it, while {@code snapshot} - taken just before the group
 *                 snapshot - names the backup (its restore point) and is what later incrementals diff
 *                 from. Empty for a backup of one volume: the data is {@code snapshot}'s. Only backends
 *                 with {@link io.cairn.api.BackendCapability#CONSISTENT_GROUPS} get one (since plugin API
 *                 1.1)
 */
public record TransferRequest(
        VolumeSnapshot snapshot,
        Optional<BackupRef> parent,
        Map<String, String> labels,
        ProgressListener progress,
        ResourceJournal journal,
        Optional<VolumeSnapshot> groupImage) {

    public TransferRequest {
        Objects.requireNonNull(snapshot, "snapshot is null");
        Objects.requireNonNull(parent, "parent is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(progress, "progress is null");
        Objects.requireNonNull(journal, "journal is null");
        Objects.requireNonNull(groupImage, "groupImage is null");
        if (groupImage.isPresent() && !groupImage.get().volume().equals(snapshot.volume())) {
            throw new IllegalArgumentException("group image " + groupImage.get().name() + " is of volume "
                    + groupImage.get().volume() + ", not of " + snapshot.volume());
        }
    }

    /** A request for a backup of one volume, its data read from {@code snapshot}. */
    public TransferRequest(VolumeSnapshot snapshot, Optional<BackupRef> parent, Map<String, String> labels,
            ProgressListener progress, ResourceJournal journal) {
        this(snapshot, parent, labels, progress, journal, Optional.empty());
    }

    /** The same request for a member of a backup set, its data read from {@code image}. */
    public TransferRequest readingFrom(VolumeSnapshot image) {
        return new TransferRequest(snapshot, parent, labels, progress, journal, Optional.of(image));
    }

    /** What the data is read from: the group image of a set member, else the snapshot itself. */
    public VolumeSnapshot dataSource() {
        return groupImage.orElse(snapshot);
    }

    /** A request without a journal, as plugin API 1.0 made them. */
    public TransferRequest(VolumeSnapshot snapshot, Optional<BackupRef> parent, Map<String, String> labels,
            ProgressListener progress) {
        this(snapshot, parent, labels, progress, ResourceJournal.NONE);
    }

    /** A full backup without labels, progress reports or journal. */
    public static TransferRequest full(VolumeSnapshot snapshot) {
        return new TransferRequest(snapshot, Optional.empty(), Map.of(), ProgressListener.NONE);
    }

    /** An incremental backup from {@code parent} without labels, progress reports or journal. */
    public static TransferRequest incremental(VolumeSnapshot snapshot, BackupRef parent) {
        return new TransferRequest(snapshot, Optional.of(parent), Map.of(), ProgressListener.NONE);
    }
}
