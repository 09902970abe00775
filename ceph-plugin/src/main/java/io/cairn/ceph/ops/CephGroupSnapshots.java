package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.GroupSnapshotOperation;
import io.cairn.api.operation.GroupSnapshotRequest;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import io.cairn.ceph.rbd.RbdGroup;
import io.cairn.ceph.rbd.RbdImageHandle.GroupMembership;
import io.cairn.ceph.rbd.RbdImageHandle.GroupSnapshotImage;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group snapshots of RBD images ({@code rbd group snap create}): one instant for several images.
 *
 * <p>A set that names an RBD group ({@code volumes/vm-42}) is snapshotted as {@code
 * volumes/vm-42@cairn.<set id>}. A set that names a list of images is snapshotted through a group of its
 * own, {@code cairn.set.<set id>} in the first image's pool, created for the set and removed with its
 * group snapshot; an image that is in another group already cannot join it (RBD allows one group per
 * image), and the set is refused naming that group.
 *
 * <p>The identity of a group snapshot is {@code <group id>_<group snapshot id>}, read from the name librbd
 * gives the member images' snapshots ({@code .group.<pool id>_<group id>_<group snapshot id>}): a group
 * snapshot removed and made again under the same name has another one. Only group snapshots named
 * {@code cairn.<set id>} and groups named {@code cairn.set.<set id>} are ever removed, and only when asked.
 * The group snapshot's name is handed to the host's journal before either is made: a process killed while
 * they are made leaves a record of that name (with no identity yet), by which the clean-up removes both.
 *
 * <p>The member images' snapshots live in librbd's <em>group</em> snapshot namespace, which Ceph 16's
 * {@code rbd_diff_iterate2} cannot diff from (it looks its starting snapshot up by name among user
 * snapshots). That is why each member also has its own user snapshot, taken by the host just before the
 * group snapshot: later incrementals diff from it, and the member's data is read from its image here
 * ({@link CephTransfer}).
 */
public final class CephGroupSnapshots implements GroupSnapshotOperation {

    private static final Logger LOG = LoggerFactory.getLogger(CephGroupSnapshots.class);
    static final String SNAPSHOT_PREFIX = "cairn.";
    static final String OWN_GROUP_PREFIX = "cairn.set.";

    private final CephConnections connections;
    private final CephErrors errors;
    private final Clock clock;

    public CephGroupSnapshots(CephConnections connections, CephErrors errors, Clock clock) {
        this.connections = connections;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public List<VolumeRef> members(String group) {
        RbdVolume spec = parseGroup(group);
        try {
            RbdGroup found = open(spec);
            if (!found.exists()) {
                throw new VolumeNotFoundException("RBD group " + spec + " not found on "
                        + connections.source().settings().describe());
            }
            List<VolumeRef> members = new ArrayList<>();
            for (RbdGroup.Member member : found.images()) {
                if (!member.attached()) {
                    throw new BackendException("image " + member.pool() + "/" + member.image() + " of group " + spec
                            + " is only half added to it (rbd group image add was interrupted); add it again or"
                            + " remove it from the group");
                }
                members.add(new VolumeRef(volumeSpec(member.pool(), spec.namespace(), member.image())));
            }
            if (members.isEmpty()) {
                throw new BackendException("RBD group " + spec + " has no images; there is nothing to back up");
            }
            return members;
        } catch (NativeCallException e) {
            if (e.isNotFound()) {
                throw new VolumeNotFoundException("RBD group " + spec + " not found on "
                        + connections.source().settings().describe());
            }
            throw errors.translate(e, "list the images of group " + spec);
        }
    }

    /** Takes the group snapshot, recording nothing before. */
    @Override
    public GroupSnapshot create(GroupSnapshotRequest request) {
        return create(request, SnapshotJournal.NONE);
    }

    /**
     * Takes the group snapshot. Its name ({@code GROUP@cairn.<set id>}) is recorded in {@code journal} before
     * anything is created - for a list of volumes, before the group of its own - so that a process killed in
     * between leaves a record that {@link #remove} finds everything by.
     */
    @Override
    public GroupSnapshot create(GroupSnapshotRequest request, SnapshotJournal journal) {
        String snapshotName = SNAPSHOT_PREFIX + request.setId();
        List<RbdVolume> volumes = request.members().stream().map(member -> RbdVolume.parse(member.volume())).toList();
        RbdGroup group;
        boolean ownGroup = request.group().isEmpty();
        if (ownGroup) {
            refuseGroupedImages(volumes);
            RbdGroup named = RbdGroup.in(sourcePool(volumes.get(0)), OWN_GROUP_PREFIX + request.setId());
            journal.intended(named.spec() + "@" + snapshotName);
            group = ownGroupOf(named, volumes);
        } else {
            group = open(parseGroup(request.group().get()));
            if (!group.exists()) {
                throw new VolumeNotFoundException("RBD group " + group.spec() + " not found on "
                        + connections.source().settings().describe());
            }
            checkMembers(group, request);
            journal.intended(group.spec() + "@" + snapshotName);
        }
        boolean snapshotTaken = false;
        try {
            group.createSnapshot(snapshotName);
            snapshotTaken = true;
            Instant now = clock.instant();
            List<VolumeSnapshot> images = new ArrayList<>();
            String identity = "";
            for (VolumeSnapshot member : request.members()) {
                MemberImage image = memberImage(group, snapshotName, RbdVolume.parse(member.volume()));
                identity = image.groupSnapshotIdentity();
                images.add(new VolumeSnapshot(member.backupId(), member.volume(), image.snapshot().name(),
                        image.snapshot().size(), now, Long.toString(image.snapshot().id())));
            }
            return new GroupSnapshot(request.setId(), request.group(), group.spec() + "@" + snapshotName, identity, now,
                    images);
        } catch (RuntimeException e) {
            undo(group, snapshotTaken ? snapshotName : null, ownGroup, e);
            if (e instanceof NativeCallException nativeFailure) {
                throw errors.translate(nativeFailure, "group snapshot " + group.spec() + "@" + snapshotName);
            }
            throw e;
        }
    }

    @Override
    public void remove(GroupSnapshot snapshot) {
        int at = snapshot.name().lastIndexOf('@');
        if (at < 0) {
            throw new BackendException("'" + snapshot.name() + "' names no group snapshot (GROUP@SNAPSHOT)");
        }
        RbdVolume spec = parseGroup(snapshot.name().substring(0, at));
        String snapshotName = snapshot.name().substring(at + 1);
        RbdGroup group = RbdGroup.in(sourcePool(spec), spec.image());
        try {
            boolean present;
            try {
                present = group.snapshots().stream().anyMatch(existing -> existing.name().equals(snapshotName));
            } catch (NativeCallException e) {
                if (e.isNotFound()) {
                    return;
                }
                throw e;
            }
            if (present && !snapshot.identity().isEmpty()) {
                Optional<String> current = currentIdentity(group, snapshotName, snapshot.members());
                if (current.isPresent() && !current.get().equals(snapshot.identity())) {
                    LOG.info("group snapshot {} has identity {}, not {} as recorded: it is not set {}'s, left alone",
                            snapshot.name(), current.get(), snapshot.identity(), snapshot.setId());
                    return;
                }
            }
            if (present) {
                group.removeSnapshot(snapshotName);
            }
            if (spec.image().equals(OWN_GROUP_PREFIX + snapshot.setId())) {
                group.remove();
            }
        } catch (NativeCallException e) {
            throw errors.translate(e, "remove group snapshot " + snapshot.name());
        }
    }

    /** RBD allows one group per image: an image in a group already cannot join the set's own. */
    private void refuseGroupedImages(List<RbdVolume> volumes) {
        for (RbdVolume volume : volumes) {
            try (RbdImageHandle image = connections.openSource(volume, null, true)) {
                Optional<GroupMembership> membership = image.group();
                if (membership.isPresent()) {
                    throw new BackendException("volume " + volume + " is in RBD group " + membership.get().group()
                            + " already, and an image can be in one group only: name that group (group: POOL/"
                            + membership.get().group() + ") instead of a list of volumes, or take the image out of it");
                }
            }
        }
    }

    /** The group made for a list of images, {@code named}: created, and every image added to it. */
    private RbdGroup ownGroupOf(RbdGroup named, List<RbdVolume> volumes) {
        RbdGroup group;
        try {
            group = RbdGroup.create(sourcePool(volumes.get(0)), named.name());
        } catch (NativeCallException e) {
            throw errors.translate(e, "create group " + named.spec());
        }
        try {
            for (RbdVolume volume : volumes) {
                group.addImage(sourcePool(volume), volume.image());
            }
            return group;
        } catch (RuntimeException e) {
            undo(group, null, true, e);
            if (e instanceof NativeCallException nativeFailure) {
                throw errors.translate(nativeFailure, "add the volumes to group " + group.spec());
            }
            throw e;
        }
    }

    /** The group must hold exactly the set's members now: a set is what the group was when it was read. */
    private static void checkMembers(RbdGroup group, GroupSnapshotRequest request) {
        Set<String> now = new HashSet<>();
        for (RbdGroup.Member member : group.images()) {
            now.add(member.pool() + "/" + member.image());
        }
        Set<String> asked = new HashSet<>();
        for (VolumeSnapshot member : request.members()) {
            RbdVolume volume = RbdVolume.parse(member.volume());
            asked.add(volume.pool() + "/" + volume.image());
        }
        if (!now.equals(asked)) {
            throw new BackendException("RBD group " + group.spec() + " holds " + String.join(", ", now.stream().sorted()
                    .toList()) + " now, not " + String.join(", ", asked.stream().sorted().toList())
                    + " as when the set was planned (an image was added or removed meanwhile)");
        }
    }

    /** A member image's snapshot made by the group snapshot, and the group snapshot's identity. */
    private record MemberImage(SnapshotInfo snapshot, String groupSnapshotIdentity) {
    }

    private MemberImage memberImage(RbdGroup group, String snapshotName, RbdVolume volume) {
        try (RbdImageHandle image = connections.openSource(volume, null, true)) {
            return findMemberImage(image, group, snapshotName).orElseThrow(() -> new BackendException(
                    "group snapshot " + group.spec() + "@" + snapshotName + " made no snapshot of member " + volume));
        }
    }

    private static Optional<MemberImage> findMemberImage(RbdImageHandle image, RbdGroup group, String snapshotName) {
        long groupPool = group.poolId();
        for (SnapshotInfo snapshot : image.snapshots()) {
            Optional<GroupSnapshotImage> made = image.groupSnapshotOf(snapshot.id());
            if (made.isPresent() && made.get().groupPoolId() == groupPool && made.get().group().equals(group.name())
                    && made.get().groupSnapshot().equals(snapshotName)) {
                return Optional.of(new MemberImage(snapshot, identityOf(snapshot.name())));
            }
        }
        return Optional.empty();
    }

    /** {@code .group.<pool id>_<group id>_<group snapshot id>} -> {@code <group id>_<group snapshot id>}. */
    static String identityOf(String memberSnapshotName) {
        int underscore = memberSnapshotName.indexOf('_');
        return underscore < 0 ? memberSnapshotName : memberSnapshotName.substring(underscore + 1);
    }

    private Optional<String> currentIdentity(RbdGroup group, String snapshotName, List<VolumeSnapshot> members) {
        for (VolumeSnapshot member : members) {
            Optional<RbdImageHandle> opened = connections.openSourceIfExists(RbdVolume.parse(member.volume()), true);
            if (opened.isEmpty()) {
                continue;
            }
            try (RbdImageHandle image = opened.get()) {
                Optional<MemberImage> found = findMemberImage(image, group, snapshotName);
                if (found.isPresent()) {
                    return Optional.of(found.get().groupSnapshotIdentity());
                }
            }
        }
        return Optional.empty();
    }

    /** Best effort: what this call created goes again; the failure that made us undo is what is reported. */
    private static void undo(RbdGroup group, String snapshotName, boolean ownGroup, RuntimeException cause) {
        try {
            if (snapshotName != null) {
                group.removeSnapshot(snapshotName);
            }
            if (ownGroup) {
                group.remove();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("could not undo group snapshot {}@{}: {}", group.spec(), snapshotName, e.getMessage());
        }
    }

    private RbdGroup open(RbdVolume spec) {
        return RbdGroup.in(sourcePool(spec), spec.image());
    }

    private RadosPool sourcePool(RbdVolume spec) {
        return connections.sourcePool(spec);
    }

    private static RbdVolume parseGroup(String group) {
        try {
            return RbdVolume.parse(new VolumeRef(group));
        } catch (BackendException e) {
            throw new BackendException("'" + group + "' is not an RBD group: expected POOL/GROUP or POOL/NAMESPACE/GROUP");
        }
    }

    private static String volumeSpec(String pool, String namespace, String image) {
        return namespace.isEmpty() ? pool + "/" + image : pool + "/" + namespace + "/" + image;
    }
}
