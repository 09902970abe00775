package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.FoundBackup;
import io.cairn.api.operation.InventoryOperation.Inventory;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.ceph.ops.CephInventory;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.RecordingJournal;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory describes every backup from the backup pool alone - Cairn's, with kind, parent, times,
 * size, labels and resources; a never-finished one as incomplete; the OpenStack reference driver's,
 * made here with the rbd CLI the way the driver makes them, as foreign - and what it describes restores
 * byte for byte and continues its chain.
 */
class InventoryFindsEveryBackupTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 23);
        for (String pool : List.of("inventory-a", "inventory-b", "inventory-c")) {
            cluster.createPool(pool);
        }
    }

    @AfterAll
    static void closeVolumes() {
        volumes.close();
    }

    @Test
    void cairnsBackupsAreDescribedFromThePoolAloneAndRestoreAndContinueTheirChain() {
        String image = "inventoried";
        String spec = volumes.create(image, 24 * MIB);
        try (BackendSession session = CephSessions.open(cluster, Map.of("pool", "inventory-a"))) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            volumes.writeRandom(image, 0, (int) (3 * MIB));
            StoredBackup full = chain.take(Optional.empty(), Map.of("tier", "gold"));
            volumes.writeRandom(image, 10 * MIB, 8192);
            StoredBackup second = chain.take(Optional.of(full.ref()), Map.of("tier", "gold"));
            volumes.writeRandom(image, 20 * MIB, (int) MIB);
            StoredBackup third = chain.take(Optional.of(second.ref()), Map.of());
            chain.delete(second);

            Inventory inventory = session.inventory().orElseThrow().list();
            assertEquals(List.of(full.ref().id(), third.ref().id()), ids(inventory), inventory.toString());
            FoundBackup foundFull = inventory.backups().get(0);
            FoundBackup foundThird = inventory.backups().get(1);
            assertEquals(BackupKind.FULL, foundFull.kind());
            assertEquals(Optional.empty(), foundFull.parent());
            assertEquals(BackupKind.INCREMENTAL, foundThird.kind());
            assertEquals(Optional.of(second.ref().id()), foundThird.parent(), "the parent as recorded, though deleted");
            assertEquals(new VolumeRef(spec), foundFull.volume());
            assertEquals(Map.of("tier", "gold"), foundFull.labels());
            assertEquals(24 * MIB, foundThird.sizeBytes());
            assertTrue(foundThird.finishedAt().orElseThrow().isAfter(foundThird.createdAt().minusSeconds(1)));
            assertEquals(FoundBackup.State.RESTORABLE, foundThird.state());
            assertFalse(foundThird.foreign());
            assertEquals(full.result().metadata(), foundFull.metadata(), "the service metadata the transfer returned");
            assertEquals(third.result().metadata(), foundThird.metadata());
            assertEquals(sorted(full.ref().resources()), sorted(foundFull.resources()),
                    "the resources the journal recorded, with their identities");
            assertEquals(sorted(third.ref().resources()), sorted(foundThird.resources()));
            assertEquals(Optional.empty(), foundFull.snapshot(), "the full backup's source snapshot is gone");
            assertEquals(third.ref().snapshot(), foundThird.snapshot(),
                    "the newest backup's source snapshot exists with the recorded id: it is handed back for adoption");
            assertEquals(inventory, session.inventory().orElseThrow().list(), "an inventory is repeatable");

            // As a rebuilt catalog would hold them: restores are byte-identical, verify finds them intact, and
            // the next backup continues the chain from the newest.
            for (StoredBackup backup : List.of(full, third)) {
                FoundBackup found = inventory.backups().stream().filter(b -> b.id().equals(backup.ref().id()))
                        .findFirst().orElseThrow();
                BackupRef rebuilt = refOf(found);
                VolumeRef target = new VolumeRef("volumes/inventoried-restore-" + backup.ref().id());
                session.restores().restore(new RestoreRequest(rebuilt, target, false, ProgressListener.NONE));
                assertEquals(backup.sha256(), cluster.sha256(target.locator()));
                cluster.rbd("rm", "--no-progress", target.locator());
                assertEquals(VerifyResult.Verdict.INTACT,
                        session.verification().orElseThrow().verify(VerifyRequest.full(rebuilt)).verdict());
            }
            volumes.writeRandom(image, 5 * MIB, 4096);
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(),
                    new VolumeRef(spec)));
            TransferResult next = session.transfers().transfer(new TransferRequest(snapshot,
                    Optional.of(refOf(foundThird)), Map.of(), ProgressListener.NONE, new RecordingJournal()));
            assertEquals(BackupKind.INCREMENTAL, next.kind());
            assertTrue(next.bytesWritten() < MIB, "only what changed is written: " + next.bytesWritten());

            // The source snapshot of the newest is adopted only while its snapshot id is the recorded one.
            session.snapshots().remove(snapshot);
            String newestSnapshot = third.snapshot();
            cluster.rbd("snap", "rm", spec + "@" + newestSnapshot);
            cluster.rbd("snap", "create", spec + "@" + newestSnapshot);
            FoundBackup impostor = session.inventory().orElseThrow().list().backups().stream()
                    .filter(b -> b.id().equals(third.ref().id())).findFirst().orElseThrow();
            assertEquals(Optional.empty(), impostor.snapshot(), "a snapshot of the same name but another id is not adopted");
            cluster.rbd("snap", "rm", spec + "@" + newestSnapshot);
        }
    }

    @Test
    void aMetadataObjectWithoutRestorePointIsAnIncompleteBackup() throws IOException {
        try (BackendSession session = CephSessions.open(cluster, Map.of("pool", "inventory-b"))) {
            String id = UUID.randomUUID().toString();
            Path meta = work.resolve("meta");
            Files.writeString(meta, "{\"version\":2,\"backup_id\":\"" + id + "\",\"volume\":\"volumes/gone\",\"snapshot\":"
                    + "\"backup." + id + ".snap.1.000000\",\"size_bytes\":1048576,\"created_at\":\"2026-01-02T03:04:05Z\","
                    + "\"labels\":{\"a\":\"b\"},\"kind\":\"full\"}");
            cluster.rados("-p", "inventory-b", "put", BackupNames.metadataObject(new BackupId(id)), meta.toString());
            Inventory inventory = session.inventory().orElseThrow().list();
            assertEquals(1, inventory.backups().size(), inventory.toString());
            FoundBackup found = inventory.backups().get(0);
            assertEquals(FoundBackup.State.INCOMPLETE, found.state());
            assertEquals(Instant.parse("2026-01-02T03:04:05Z"), found.createdAt());
            assertEquals(List.of("metadata-object"), found.resources().stream().map(StoredResource::kind).toList());
            // Deleting it through what the inventory found removes what is left.
            session.deletions().delete(new io.cairn.api.operation.DeleteRequest(refOf(found)));
            assertEquals(List.of(), session.inventory().orElseThrow().list().backups());
        }
    }

    @Test
    void theReferenceDriversBackupsAreImportedAsRestorableAndForeign() throws IOException {
        String volumeId = UUID.randomUUID().toString();
        String image = "volume-" + volumeId;
        String spec = volumes.create(image, 12 * MIB);
        String pool = "inventory-c";
        try (BackendSession session = CephSessions.open(cluster, Map.of("pool", pool))) {
            // What the driver does for a first and a second RBD backup (cinder-ceph-semantics.md): a base image
            // named for the volume and the full backup, export-diff | import-diff of a new source snapshot,
            // which import-diff recreates on the base, and the volume's metadata in backup.<id>.meta.
            String first = UUID.randomUUID().toString();
            String second = UUID.randomUUID().toString();
            String base = pool + "/" + image + ".backup." + first;
            volumes.writeRandom(image, 0, (int) (2 * MIB));
            cluster.rbd("create", "--size", "12M", "--image-feature", "layering", base);
            String snap1 = "backup." + first + ".snap.1700000000.25";
            cluster.rbd("snap", "create", spec + "@" + snap1);
            TestCluster.shell("rbd --conf " + cluster.conf() + " export-diff " + spec + "@" + snap1 + " - | rbd --conf "
                    + cluster.conf() + " import-diff - " + base);
            String sha1 = cluster.sha256(spec + "@" + snap1);
            Path meta = work.resolve("cinder-meta");
            Files.writeString(meta, "{\"version\": 2, \"volume-base-metadata\": {\"display_name\": \"db\"}}",
                    StandardCharsets.UTF_8);
            cluster.rados("-p", pool, "put", "backup." + first + ".meta", meta.toString());
            volumes.writeRandom(image, 6 * MIB, 65536);
            String snap2 = "backup." + second + ".snap.1700000100.5";
            cluster.rbd("snap", "create", spec + "@" + snap2);
            TestCluster.shell("rbd --conf " + cluster.conf() + " export-diff --from-snap " + snap1 + " " + spec + "@" + snap2
                    + " - | rbd --conf " + cluster.conf() + " import-diff - " + base);
            String sha2 = cluster.sha256(spec + "@" + snap2);
            // A full copy of a non-RBD source: an image without a backup snapshot.
            cluster.rbd("create", "--size", "4M", pool + "/volume-" + UUID.randomUUID() + ".backup."
                    + UUID.randomUUID());

            Inventory inventory = session.inventory().orElseThrow().list();
            assertEquals(List.of(new BackupId(first), new BackupId(second)), ids(inventory), inventory.toString());
            FoundBackup full = inventory.backups().get(0);
            FoundBackup incremental = inventory.backups().get(1);
            assertEquals(CephInventory.REFERENCE_DRIVER, full.origin());
            assertTrue(incremental.foreign());
            assertEquals(BackupKind.FULL, full.kind());
            assertEquals(Optional.of(new BackupId(first)), incremental.parent());
            assertEquals(new VolumeRef(spec), full.volume(), "the volume's pool is found on the source cluster");
            assertEquals(Instant.ofEpochSecond(1700000000, 250_000_000), full.createdAt());
            assertEquals(Optional.empty(), incremental.snapshot(), "the driver records no snapshot id: never adopted");
            assertTrue(inventory.notes().stream().anyMatch(n -> n.contains("no backup snapshot")), inventory.notes().toString());

            for (FoundBackup found : inventory.backups()) {
                VolumeRef target = new VolumeRef("volumes/reference-restore-" + found.id());
                session.restores().restore(new RestoreRequest(refOf(found), target, false, ProgressListener.NONE));
                assertEquals(found == full ? sha1 : sha2, cluster.sha256(target.locator()),
                        "restore of the reference driver's backup " + found.id());
                cluster.rbd("rm", "--no-progress", target.locator());
            }
            VerifyResult unverifiable = session.verification().orElseThrow().verify(VerifyRequest.full(refOf(full)));
            assertEquals(VerifyResult.Verdict.UNVERIFIABLE, unverifiable.verdict(), "the driver records no digests");
            cluster.rbd("snap", "purge", spec);
        }
    }

    private static BackupRef refOf(FoundBackup found) {
        return new BackupRef(found.id(), found.volume(), found.metadata(), found.snapshot(), found.resources());
    }

    private static List<BackupId> ids(Inventory inventory) {
        return inventory.backups().stream().map(FoundBackup::id).toList();
    }

    private static List<String> sorted(List<StoredResource> resources) {
        return resources.stream().map(StoredResource::toString).sorted().toList();
    }

}
