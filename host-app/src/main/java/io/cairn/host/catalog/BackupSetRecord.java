package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup set as the catalog records it: volumes backed up together from one group snapshot. Its
 * members are ordinary backup records; the set is {@code available} only when every member is.
 *
 * @param id            the set's id
 * @param cluster       the cluster file it was taken through
 * @param series        what it is a set of, the same for every set of the same volumes ({@link #seriesOf})
 * @param group         the backend's group, or empty for a list of volumes
 * @param status        creating, available, error, deleting or deleted, as for backups
 * @param startedAt     when it started
 * @param finishedAt    when it became available, failed or was deleted
 * @param error         why it failed
 * @param groupSnapshot the group snapshot the members were read from, once taken
 * @param members       the member backups, in the order of the set
 */
public record BackupSetRecord(String id, String cluster, String series, Optional<String> group, BackupStatus status,
        Instant startedAt, Optional<Instant> finishedAt, Optional<String> error,
        Optional<RecordedGroupSnapshot> groupSnapshot, List<Member> members) {

    public BackupSetRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(series, "series is null");
        Objects.requireNonNull(group, "group is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        Objects.requireNonNull(error, "error is null");
        Objects.requireNonNull(groupSnapshot, "groupSnapshot is null");
        members = List.copyOf(Objects.requireNonNull(members, "members is null"));
    }

    /** A new set, {@code creating}, before any member is recorded. */
    public static BackupSetRecord creating(String id, String cluster, Optional<String> group, List<VolumeRef> volumes,
            Instant now) {
        return new BackupSetRecord(id, cluster, seriesOf(group, volumes), group, BackupStatus.CREATING, now,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * What a set is of: {@code group:volumes/vm-42} for a group, {@code together:a,b} (sorted) for a list.
     * Retention and the history of a set are per series and cluster.
     */
    public static String seriesOf(Optional<String> group, List<VolumeRef> volumes) {
        return group.map(name -> "group:" + name).orElseGet(() -> "together:"
                + String.join(",", volumes.stream().map(VolumeRef::locator).sorted().toList()));
    }

    /** How an operator names the set's volumes: {@code group volumes/vm-42} or {@code volumes a, b}. */
    public String describe() {
        return group.map(name -> "group " + name).orElseGet(() -> "volumes "
                + String.join(", ", members.stream().map(member -> member.volume().locator()).toList()));
    }

    public BackupSetRecord withStatus(BackupStatus newStatus, Optional<Instant> finished, Optional<String> reason) {
        return new BackupSetRecord(id, cluster, series, group, newStatus, startedAt, finished, reason, groupSnapshot,
                members);
    }

    /** Whether the set still holds its group snapshot on the source. */
    public boolean holdsGroupSnapshot() {
        return groupSnapshot.map(RecordedGroupSnapshot::held).orElse(false);
    }

    /** The group snapshot as the backend addresses it, for its removal. */
    public Optional<GroupSnapshot> toGroupSnapshot() {
        return groupSnapshot.map(recorded -> {
            List<VolumeSnapshot> images = new ArrayList<>();
            for (Member member : members) {
                member.groupImage().ifPresent(image -> images.add(new VolumeSnapshot(member.backupId(), member.volume(),
                        image.name(), 0, recorded.takenAt(), image.identity())));
            }
            return new GroupSnapshot(id, group, recorded.name(), recorded.identity(), recorded.takenAt(), images);
        });
    }

    /** The group snapshot a set was read from: the backend's name and identity, and whether it is still held. */
    public record RecordedGroupSnapshot(String name, String identity, Instant takenAt, boolean held) {
    }

    /** An image in the group snapshot: the backend's name and identity. */
    public record Image(String name, String identity) {
    }

    /** One member: its volume, its backup, and its image in the group snapshot once taken. */
    public record Member(int position, VolumeRef volume, BackupId backupId, Optional<Image> groupImage) {
        public Member {
            Objects.requireNonNull(volume, "volume is null");
            Objects.requireNonNull(backupId, "backupId is null");
            Objects.requireNonNull(groupImage, "groupImage is null");
        }
    }
}
