package io.cairn.api.operation;

import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import java.util.List;

/**
 * Snapshots of several volumes at one instant: what makes a backup set consistent. Offered by
 * {@link io.cairn.api.BackendSession#groupSnapshots()} when the backend declares
 * {@link io.cairn.api.BackendCapability#CONSISTENT_GROUPS}.
 *
 * <p>A backup set is taken in this order: the host takes each member's own snapshot
 * ({@link SnapshotOperation#create}), then one group snapshot ({@link #create}), then transfers every
 * member with {@link TransferRequest#groupImage()} set to the member's image in the group snapshot. The
 * stored data of every member is its image in the group snapshot - the same instant for all - while its
 * own snapshot, taken no later than that instant, is what the next incremental diffs from: a diff from
 * an earlier point covers every change since the group snapshot (some twice, which is harmless).
 *
 * <p><b>Ownership.</b> The host owns the group snapshot from {@link #create} to {@link #remove}, as it
 * owns volume snapshots. A backend never removes a group snapshot on its own initiative, and never
 * removes, changes or takes over a group it did not create.
 *
 * @since plugin API 1.1
 */
public interface GroupSnapshotOperation {

    /**
     * The volumes of a group the backend keeps (for Ceph an RBD group, {@code POOL/GROUP}), in a stable
     * order.
     *
     * @param group the group's name, in the same form as volume names
     * @throws io.cairn.api.error.VolumeNotFoundException when there is no such group
     * @throws io.cairn.api.error.BackendException when the group has no member
     */
    List<VolumeRef> members(String group);

    /**
     * Takes one snapshot of every member at one instant, and returns it with its identity and each
     * member's image in it. On failure nothing of it is left (what was created is removed again) and the
     * members' own snapshots are untouched.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the group or a member does not exist
     * @throws io.cairn.api.error.BackendException when the members are not what the group holds now, or a
     *         member cannot be snapshotted together with the others (named)
     */
    GroupSnapshot create(GroupSnapshotRequest request);

    /**
     * Takes the group snapshot as {@link #create(GroupSnapshotRequest)} does, having first recorded in
     * {@code journal} the exact name it will have ({@link GroupSnapshot#name()}, {@link SnapshotJournal#intended})
     * - before it creates anything for it, a group of its own for a list of volumes included. A process killed in
     * between then leaves a record of it: the host's clean-up of the interrupted set calls {@link #remove} with
     * a group snapshot of that name, an empty identity and no members, which must remove the group snapshot of
     * that name and whatever {@code create} made for it (and find nothing to do when there is nothing). The host
     * calls this one.
     *
     * <p>The default records nothing and takes the group snapshot through {@link #create(GroupSnapshotRequest)}:
     * the host then learns the name only once the group snapshot exists, as with plugin API 1.2.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the group or a member does not exist
     * @throws io.cairn.api.error.BackendException when the members are not what the group holds now, or a
     *         member cannot be snapshotted together with the others (named)
     * @since 1.3
     */
    default GroupSnapshot create(GroupSnapshotRequest request, SnapshotJournal journal) {
        return create(request);
    }

    /**
     * Removes exactly this group snapshot, and its member images with it; the members' own snapshots
     * stay. A group snapshot (or group) that is already gone counts as removed. One of the same name
     * whose identity differs from {@link GroupSnapshot#identity()} (when that is not empty) is another
     * one: it is left alone, and this one counts as removed. With an empty identity - the name recorded
     * before {@link #create(GroupSnapshotRequest, SnapshotJournal)} made it - the group snapshot of that name
     * is removed, and so is what that {@code create} made for it (a group of its own).
     */
    void remove(GroupSnapshot snapshot);
}
