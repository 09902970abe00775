package io.cairn.api.operation;

import io.cairn.api.model.VolumeSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks for one snapshot of several volumes at one instant, for backup set {@code setId}.
 *
 * @param setId   the backup set's id; the backend names the group snapshot after it, so that it is
 *                never mistaken for another set's
 * @param group   the backend's group to snapshot ({@code volumes/vm-42}), whose members are exactly the
 *                volumes of {@code members}; empty when the set names a list of volumes, which the
 *                backend then snapshots together in its own way
 * @param members each member's own snapshot, just taken by the host for the member's backup (it says
 *                which volume and which backup); the group snapshot is taken after them
 * @since plugin API 1.1
 */
public record GroupSnapshotRequest(String setId, Optional<String> group, List<VolumeSnapshot> members) {

    public GroupSnapshotRequest {
        Objects.requireNonNull(setId, "setId is null");
        Objects.requireNonNull(group, "group is null");
        members = List.copyOf(Objects.requireNonNull(members, "members is null"));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group snapshot needs at least one member");
        }
    }
}
