package io.cairn.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One snapshot of several volumes at the same instant, taken for one backup set.
 *
 * <p>The host owns it as it owns volume snapshots: it records it (name and identity) as soon as the
 * backend returns it, keeps it while the set is the newest stored set of its group, and asks to remove it
 * - exactly this one, by name and identity - once a newer set is stored, or when the set failed or is
 * deleted. A group snapshot of the same name with another identity is someone else's.
 *
 * <p>Its {@link #members()} are the images of the member volumes inside the group snapshot: the data each
 * member backup stores is read from its image, so that every member holds the same instant. They live
 * and go with the group snapshot. Each member backup also has a snapshot of its own, taken just before
 * the group snapshot ({@link io.cairn.api.operation.SnapshotOperation#create}); that one is what later
 * incrementals of the volume diff from, and it stays when the group snapshot is removed.
 *
 * @param setId     the backup set it was taken for
 * @param group     the backend's group it is a snapshot of ({@code volumes/vm-42}), or empty when the set
 *                  names a list of volumes
 * @param name      the backend's name for it, enough to find it again ({@code volumes/vm-42@cairn.<set>})
 * @param identity  what a later group snapshot of the same name does not share (for Ceph the group
 *                  snapshot's id); empty when the backend has none
 * @param createdAt when it was taken
 * @param members   per member volume, in the order requested: the volume's image in the group snapshot,
 *                  with the member backup's id, its name and identity, and the volume's size at that
 *                  instant
 * @since plugin API 1.1
 */
public record GroupSnapshot(String setId, Optional<String> group, String name, String identity, Instant createdAt,
        List<VolumeSnapshot> members) {

    public GroupSnapshot {
        Objects.requireNonNull(setId, "setId is null");
        Objects.requireNonNull(group, "group is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(identity, "identity is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        members = List.copyOf(Objects.requireNonNull(members, "members is null"));
        if (name.isBlank()) {
            throw new IllegalArgumentException("group snapshot name is empty");
        }
    }

    /** The member image of {@code volume}, if it is a member. */
    public Optional<VolumeSnapshot> member(VolumeRef volume) {
        return members.stream().filter(member -> member.volume().equals(volume)).findFirst();
    }
}
