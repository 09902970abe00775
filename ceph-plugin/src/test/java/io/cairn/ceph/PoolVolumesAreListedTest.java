package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.VolumeListing;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.TestCluster;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The volume listing schedules resolve their patterns with: every image of a pool (or namespace), as
 * locators the other verbs accept, sorted; a missing pool is "volume not found".
 */
class PoolVolumesAreListedTest {

    private final TestCluster ceph = TestCluster.primary();

    @Test
    void imagesOfAPoolAndOfANamespaceAreListedSorted() {
        String tag = "ls-" + UUID.randomUUID().toString().substring(0, 6);
        ceph.rbd("create", "volumes/" + tag + "-b", "--size", "4M");
        ceph.rbd("create", "volumes/" + tag + "-a", "--size", "4M");
        ceph.rbd("namespace", "create", "volumes/" + tag);
        ceph.rbd("create", "volumes/" + tag + "/inner", "--size", "4M");
        try (BackendSession session = CephSessions.open(ceph)) {
            VolumeListing listing = session.volumeListing().orElseThrow();
            List<VolumeRef> volumes = listing.list("volumes");
            List<VolumeRef> ours = volumes.stream().filter(v -> v.locator().startsWith("volumes/" + tag)).toList();
            assertEquals(List.of(new VolumeRef("volumes/" + tag + "-a"), new VolumeRef("volumes/" + tag + "-b")), ours);
            assertEquals(volumes.stream().sorted((x, y) -> x.locator().compareTo(y.locator())).toList(), volumes);
            assertFalse(volumes.contains(new VolumeRef("volumes/inner")), "a namespace's image listed in the pool");

            assertEquals(List.of(new VolumeRef("volumes/" + tag + "/inner")), listing.list("volumes/" + tag));
            // Listed volumes are accepted by the other verbs.
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), ours.get(0)));
            session.snapshots().remove(snapshot);
            assertEquals(List.of(), ceph.snapshots(ours.get(0).locator()));

            VolumeNotFoundException missing = assertThrows(VolumeNotFoundException.class,
                    () -> listing.list("no-such-pool-" + tag));
            assertTrue(missing.getMessage().contains("no-such-pool-" + tag), missing.getMessage());
        } finally {
            ceph.rbd("rm", "--no-progress", "volumes/" + tag + "/inner");
            ceph.rbd("namespace", "remove", "volumes/" + tag);
            ceph.rbd("rm", "--no-progress", "volumes/" + tag + "-a");
            ceph.rbd("rm", "--no-progress", "volumes/" + tag + "-b");
        }
    }
}
