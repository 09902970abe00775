package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.GroupSnapshot;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.GroupSnapshotOperation;
import io.cairn.api.operation.GroupSnapshotRequest;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.RecordingJournal;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.ceph.testing.TestVolumes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBD group snapshots through the plugin: the members of a group, one group snapshot per set, every
 * member stored from its image in the group snapshot (restored byte-identical to it, read independently),
 * incrementals of members diffed from their own snapshots, removal by name and identity, lists of images
 * snapshotted through a group of Cairn's own, and existing snapshots backed up as they are.
 */
class GroupSnapshotsTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 17);
    }

    @AfterAll
    static void closeVolumes() {
        volumes.close();
    }

    @Test
    void eachMemberIsStoredFromTheGroupSnapshotAndIncrementalsDiffFromItsOwnSnapshot() {
        List<VolumeRef> members = new ArrayList<>();
        for (String image : List.of("grp-a-db", "grp-a-log", "grp-a-os")) {
            members.add(new VolumeRef(volumes.create(image, 32 * MIB)));
            volumes.writeRandom(image, 0, (int) (3 * MIB));
        }
        cluster.rbd("group", "create", "volumes/grp-a");
        for (VolumeRef member : members) {
            cluster.rbd("group", "image", "add", "volumes/grp-a", member.locator());
        }
        try (BackendSession session = CephSessions.open(cluster)) {
            assertTrue(new CephBackendDescriptor().capabilitySet().contains(BackendCapability.CONSISTENT_GROUPS));
            GroupSnapshotOperation groups = session.groupSnapshots().orElseThrow();
            assertEquals(members.stream().map(VolumeRef::locator).sorted().toList(),
                    groups.members("volumes/grp-a").stream().map(VolumeRef::locator).sorted().toList());

            List<Stored> first = backUpSet(session, "volumes/grp-a", members, Map.of());
            for (Stored stored : first) {
                assertEquals(BackupKind.FULL, stored.result().kind());
                assertRestoresTo(session, stored);
            }
            // Writes after the set: an incremental set writes only what changed, and restores exactly.
            volumes.writeRandom("grp-a-db", 10 * MIB, (int) MIB);
            volumes.writeRandom("grp-a-log", 20 * MIB, 4096);
            Map<VolumeRef, Stored> parents = new HashMap<>();
            first.forEach(stored -> parents.put(stored.ref().volume(), stored));
            List<Stored> second = backUpSet(session, "volumes/grp-a", members, parents);
            for (Stored stored : second) {
                assertEquals(BackupKind.INCREMENTAL, stored.result().kind());
                assertTrue(stored.result().bytesWritten() <= 2 * MIB, "an incremental member writes what changed: "
                        + stored.result().bytesWritten());
                assertRestoresTo(session, stored);
            }
            // The group snapshots were removed by the test as the host does; each member keeps its own snapshots.
            assertEquals("[]", cluster.rbd("group", "snap", "ls", "volumes/grp-a", "--format", "json").trim());
        }
    }

    @Test
    void aGroupSnapshotOfTheSameNameWithAnotherIdentityIsLeftAlone() {
        String image = "grp-b-disk";
        VolumeRef volume = new VolumeRef(volumes.create(image, 8 * MIB));
        cluster.rbd("group", "create", "volumes/grp-b");
        cluster.rbd("group", "image", "add", "volumes/grp-b", volume.locator());
        try (BackendSession session = CephSessions.open(cluster)) {
            GroupSnapshotOperation groups = session.groupSnapshots().orElseThrow();
            String setId = UUID.randomUUID().toString();
            VolumeSnapshot own = session.snapshots().create(new SnapshotRequest(BackupId.random(), volume));
            GroupSnapshot taken = groups.create(new GroupSnapshotRequest(setId, Optional.of("volumes/grp-b"),
                    List.of(own)));
            assertEquals("volumes/grp-b@cairn." + setId, taken.name());
            assertFalse(taken.identity().isEmpty());
            // Someone removes it and makes another under the same name: that one is not ours.
            cluster.rbd("group", "snap", "rm", "volumes/grp-b@cairn." + setId);
            cluster.rbd("group", "snap", "create", "volumes/grp-b@cairn." + setId);
            groups.remove(taken);
            assertTrue(cluster.rbd("group", "snap", "ls", "volumes/grp-b").contains("cairn." + setId));
            cluster.rbd("group", "snap", "rm", "volumes/grp-b@cairn." + setId);
            // Gone counts as removed; the member's own snapshot is untouched.
            groups.remove(taken);
            assertTrue(cluster.snapshots(volume.locator()).contains(own.name()));
            session.snapshots().remove(own);
        }
    }

    @Test
    void aListOfImagesIsSnapshottedThroughAGroupOfItsOwnThatGoesWithTheSnapshot() {
        List<VolumeRef> members = List.of(new VolumeRef(volumes.create("grp-c-1", 8 * MIB)),
                new VolumeRef(volumes.create("grp-c-2", 8 * MIB)));
        volumes.writeRandom("grp-c-1", 0, (int) MIB);
        volumes.writeRandom("grp-c-2", MIB, (int) MIB);
        try (BackendSession session = CephSessions.open(cluster)) {
            List<Stored> stored = backUpSet(session, null, members, Map.of());
            for (Stored member : stored) {
                assertRestoresTo(session, member);
            }
            assertFalse(cluster.rbd("group", "ls", "volumes").contains("cairn.set."),
                    "the set's own group is removed with its group snapshot");
            assertFalse(cluster.rbd("info", "volumes/grp-c-1").contains("group:"));

            // An image already in a group cannot join the set's own group: refused naming the group.
            cluster.rbd("group", "create", "volumes/grp-c-other");
            cluster.rbd("group", "image", "add", "volumes/grp-c-other", "volumes/grp-c-2");
            VolumeSnapshot one = session.snapshots().create(new SnapshotRequest(BackupId.random(), members.get(0)));
            VolumeSnapshot two = session.snapshots().create(new SnapshotRequest(BackupId.random(), members.get(1)));
            BackendException refused = assertThrows(BackendException.class, () -> session.groupSnapshots()
                    .orElseThrow().create(new GroupSnapshotRequest(UUID.randomUUID().toString(), Optional.empty(),
                            List.of(one, two))));
            assertTrue(refused.getMessage().contains("grp-c-other"), refused.getMessage());
            assertFalse(cluster.rbd("group", "ls", "volumes").contains("cairn.set."), "nothing left of the attempt");
            session.snapshots().remove(one);
            session.snapshots().remove(two);
        }
    }

    @Test
    void aGroupSnapshotIsNamedBeforeAnythingOfItIsMadeAndThatNameAloneRemovesWhatItsCreateMade() {
        cluster.rbd("group", "create", "volumes/grp-e");
        VolumeRef grouped = new VolumeRef(volumes.create("grp-e-disk", 8 * MIB));
        cluster.rbd("group", "image", "add", "volumes/grp-e", grouped.locator());
        List<VolumeRef> listed = List.of(new VolumeRef(volumes.create("grp-e-1", 8 * MIB)),
                new VolumeRef(volumes.create("grp-e-2", 8 * MIB)));
        try (BackendSession session = CephSessions.open(cluster)) {
            GroupSnapshotOperation groups = session.groupSnapshots().orElseThrow();
            // An RBD group, then a list of images (snapshotted through a group of the set's own).
            for (Optional<String> group : List.of(Optional.of("volumes/grp-e"), Optional.<String>empty())) {
                List<VolumeRef> members = group.isPresent() ? List.of(grouped) : listed;
                List<VolumeSnapshot> own = new ArrayList<>();
                for (VolumeRef member : members) {
                    own.add(session.snapshots().create(new SnapshotRequest(BackupId.random(), member)));
                }
                String setId = UUID.randomUUID().toString();
                List<String> announced = new ArrayList<>();
                GroupSnapshot taken = groups.create(new GroupSnapshotRequest(setId, group, own), name -> {
                    assertFalse(cluster.rbd("group", "ls", "volumes").contains("cairn.set." + setId), "the set's own"
                            + " group existed before the group snapshot's name was recorded");
                    assertFalse(cluster.rbd("group", "snap", "ls", group.orElse("volumes/grp-e")).contains("cairn."
                            + setId), "the group snapshot existed before its name was recorded");
                    announced.add(name);
                });
                assertEquals(List.of(taken.name()), announced, "recorded once, by the name it got");
                if (group.isEmpty()) {
                    assertTrue(cluster.rbd("info", listed.get(0).locator()).contains("cairn.set." + setId));
                }
                // What a process killed right after the create leaves recorded: the name, no identity, no images.
                GroupSnapshot recorded = new GroupSnapshot(setId, group, announced.get(0), "", taken.createdAt(),
                        List.of());
                groups.remove(recorded);
                assertEquals("[]", cluster.rbd("group", "snap", "ls", group.orElse("volumes/grp-e"), "--format", "json")
                        .trim(), "the group snapshot is removed by its recorded name");
                assertFalse(cluster.rbd("group", "ls", "volumes").contains("cairn.set." + setId),
                        "the set's own group goes with it");
                for (VolumeRef member : members) {
                    assertEquals(group.isPresent(), cluster.rbd("info", member.locator()).contains("group:"),
                            member + " is back where it was: in the operator's group, or in none");
                }
                // Killed before anything was made: the recorded name finds nothing to remove.
                groups.remove(recorded);
                own.forEach(snapshot -> session.snapshots().remove(snapshot));
            }
        }
    }

    @Test
    void aMissingGroupIsNotFoundAndAnExistingSnapshotIsBackedUpAsItIs() {
        String image = "grp-d-disk";
        VolumeRef volume = new VolumeRef(volumes.create(image, 8 * MIB));
        volumes.writeRandom(image, 0, (int) MIB);
        cluster.rbd("snap", "create", volume.locator() + "@nightly");
        try (BackendSession session = CephSessions.open(cluster)) {
            assertThrows(VolumeNotFoundException.class,
                    () -> session.groupSnapshots().orElseThrow().members("volumes/no-such-group"));
            BackupId id = BackupId.random();
            VolumeSnapshot nightly = session.snapshots().existing(id, volume, "nightly").orElseThrow();
            assertEquals("nightly", nightly.name());
            assertFalse(nightly.identity().isEmpty());
            assertEquals(8 * MIB, nightly.sizeBytes());
            assertThrows(VolumeNotFoundException.class,
                    () -> session.snapshots().existing(id, volume, "weekly"));

            // Backed up as it is: a full from it, an incremental from it to another existing snapshot.
            String nightlySha = cluster.sha256(volume.locator() + "@nightly");
            RecordingJournal journal = new RecordingJournal();
            TransferResult full = session.transfers().transfer(new TransferRequest(nightly, Optional.empty(), Map.of(),
                    ProgressListener.NONE, journal));
            BackupRef fullRef = new BackupRef(id, volume, full.metadata(), Optional.of(nightly), journal.resources());
            volumes.writeRandom(image, 4 * MIB, (int) MIB);
            cluster.rbd("snap", "create", volume.locator() + "@nightly-2");
            BackupId secondId = BackupId.random();
            VolumeSnapshot second = session.snapshots().existing(secondId, volume, "nightly-2").orElseThrow();
            TransferResult incremental = session.transfers().transfer(new TransferRequest(second, Optional.of(fullRef),
                    Map.of(), ProgressListener.NONE, new RecordingJournal()));
            assertEquals(BackupKind.INCREMENTAL, incremental.kind());
            assertTrue(incremental.bytesWritten() <= 2 * MIB, "only the change: " + incremental.bytesWritten());
            BackupRef secondRef = new BackupRef(secondId, volume, incremental.metadata(), Optional.of(second), List.of());
            assertRestoresTo(session, new Stored(fullRef, nightlySha, 8 * MIB, full));
            assertRestoresTo(session, new Stored(secondRef, cluster.sha256(volume.locator() + "@nightly-2"), 8 * MIB,
                    incremental));
            // The restore points on the base image are Cairn's names, not the snapshots'; the snapshots stay.
            assertTrue(cluster.snapshots(volume.locator()).containsAll(List.of("nightly", "nightly-2")));

            // Someone removes nightly-2 and takes another under its name: no incremental from it.
            cluster.rbd("snap", "rm", volume.locator() + "@nightly-2");
            cluster.rbd("snap", "create", volume.locator() + "@nightly-2");
            BackupId thirdId = BackupId.random();
            VolumeSnapshot third = session.snapshots().existing(thirdId, volume, "nightly").orElseThrow();
            assertThrows(io.cairn.api.error.ChainBrokenException.class, () -> session.transfers().transfer(
                    new TransferRequest(third, Optional.of(secondRef), Map.of(), ProgressListener.NONE,
                            new RecordingJournal())));
        }
    }

    /** A member backup, with the checksum of its image in the group snapshot. */
    private record Stored(BackupRef ref, String sha256, long sizeBytes, TransferResult result) {
    }

    /** Backs up a set the way the host does: own snapshots, one group snapshot, transfers, group snapshot gone. */
    private static List<Stored> backUpSet(BackendSession session, String group, List<VolumeRef> members,
            Map<VolumeRef, Stored> parents) {
        List<VolumeSnapshot> own = new ArrayList<>();
        for (VolumeRef member : members) {
            own.add(session.snapshots().create(new SnapshotRequest(BackupId.random(), member)));
        }
        // Writes between the members' own snapshots and the group snapshot: the stored data must be the
        // group snapshot's, and the next incremental (diffed from the own snapshots) must carry them too.
        for (VolumeRef member : members) {
            volumes.writeRandom(member.locator().substring(member.locator().indexOf('/') + 1), 5 * MIB, 65536);
        }
        String setId = UUID.randomUUID().toString();
        GroupSnapshotOperation groups = session.groupSnapshots().orElseThrow();
        GroupSnapshot snapshot = groups.create(new GroupSnapshotRequest(setId, Optional.ofNullable(group), own));
        assertEquals(members.size(), snapshot.members().size());
        // And writes after it, which no member of this set may hold.
        for (VolumeRef member : members) {
            volumes.writeRandom(member.locator().substring(member.locator().indexOf('/') + 1), 6 * MIB, 65536);
        }
        List<Stored> stored = new ArrayList<>();
        for (VolumeSnapshot memberSnapshot : own) {
            VolumeSnapshot image = snapshot.member(memberSnapshot.volume()).orElseThrow();
            assertTrue(image.name().startsWith(".group."), image.name());
            String sha = cluster.sha256AtSnapshotId(memberSnapshot.volume().locator(), Long.parseLong(image.identity()));
            Optional<BackupRef> parent = Optional.ofNullable(parents.get(memberSnapshot.volume())).map(Stored::ref);
            RecordingJournal journal = new RecordingJournal();
            TransferResult result = session.transfers().transfer(new TransferRequest(memberSnapshot, parent, Map.of(),
                    ProgressListener.NONE, journal).readingFrom(image));
            stored.add(new Stored(new BackupRef(memberSnapshot.backupId(), memberSnapshot.volume(), result.metadata(),
                    Optional.of(memberSnapshot), journal.resources()), sha, image.sizeBytes(), result));
            parent.flatMap(BackupRef::snapshot).ifPresent(session.snapshots()::remove);
        }
        groups.remove(snapshot);
        return stored;
    }

    private static void assertRestoresTo(BackendSession session, Stored stored) {
        VolumeRef target = new VolumeRef(stored.ref().volume().locator() + "-r-" + stored.ref().id().value()
                .substring(0, 8));
        session.restores().restore(new RestoreRequest(stored.ref(), target, false, ProgressListener.NONE));
        assertEquals(stored.sha256(), cluster.sha256(target.locator()), "restore of member " + stored.ref().volume()
                + " equals its image in the group snapshot");
        cluster.rbd("rm", "--no-progress", target.locator());
    }
}
