package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import io.cairn.host.Host;
import io.cairn.host.backup.OperationFailedException;
import io.cairn.host.backup.RestoreOrchestrator.RestoreOutcome;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's findings through the whole host on a real Ceph cluster - CLI, catalog, Ceph plugin JAR: what
 * Cairn owns it removes, by name and identity; what it does not own it leaves, whatever its name; it
 * refuses to restore into its own storage or, without {@code --force}, into an image in use; a backup being
 * restored is not deleted. Each restore is checked by SHA-256 against the source snapshot.
 */
class OwnershipOnCephTest {

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String image = "volumes/own-" + tag;
    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = CephTestConf.lab(root, ceph);
        ceph.rbd("create", image, "--size", "32M");
        write("64K", "8M");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private void write(String ioSize, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", ioSize, "--io-total", total, image);
    }

    private JsonNode backup(String cluster) throws IOException {
        return json(cairn("backup", cluster, image, "--json", "-q"));
    }

    /** Restores into a new image and returns its SHA-256. */
    private String restored(JsonNode backup) throws IOException {
        String target = "volumes/r-" + UUID.randomUUID().toString().substring(0, 8);
        json(cairn("restore", backup.get("id").asText(), target, "--json", "-q"));
        return ceph.sha256(target);
    }

    /**
     * Finding 1: two cluster files over one volume (a local copy and an offsite one) each keep their own
     * newest snapshot and stay incremental; a snapshot named like a backup snapshot that Cairn did not
     * record (the reference driver's, an operator's) survives every backup and delete.
     */
    @Test
    void twoClusterFilesOverOneVolumeStayIncrementalAndForeignSnapshotsSurvive() throws IOException {
        createPool("offsite");
        conf.cluster("offsite", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: offsite\n");
        String foreign = "backup." + UUID.randomUUID() + ".snap.1700000000.0";
        ceph.rbd("snap", "create", image + "@" + foreign);

        List<JsonNode> backups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode backup = backup(i % 2 == 0 ? "lab" : "offsite");
            backups.add(backup);
            assertEquals(i < 2 ? "full" : "incremental", backup.get("kind").asText(), "backup " + i + ": " + backup);
            assertEquals(ceph.sha256(image + "@" + backup.get("snapshot").asText()), restored(backup), "backup " + i);
            write("4K", "1M");
        }
        List<String> snapshots = ceph.snapshots(image);
        assertEquals(List.of(foreign, backups.get(4).get("snapshot").asText(), backups.get(5).get("snapshot").asText()),
                snapshots, "the foreign snapshot and each cluster file's newest one");

        json(cairn("delete", backups.get(5).get("id").asText(), "--json"));
        json(cairn("delete", backups.get(4).get("id").asText(), "--json"));
        assertEquals(List.of(foreign), ceph.snapshots(image));
    }

    /**
     * Finding 2: deleting a backup whose base image is gone does not remove the reference driver's
     * {@code <volume>.backup.base}, which Cairn never created.
     */
    @Test
    void deletingABackupWhoseBaseIsGoneLeavesTheLegacyBaseAlone() throws IOException {
        String legacy = "backups/own-" + tag + ".backup.base";
        ceph.rbd("create", legacy, "--size", "4M");
        JsonNode full = backup("lab");
        String base = "backups/own-" + tag + ".backup." + full.get("id").asText();
        ceph.rbd("snap", "purge", base);
        ceph.rbd("rm", base);

        CliRun delete = cairn("delete", full.get("id").asText());
        assertEquals(0, delete.exitCode(), delete.toString());
        assertFalse(delete.out().contains(legacy), delete.out());
        assertTrue(ceph.imageExists(legacy), "the reference driver's base image was removed");
    }

    /**
     * Finding 3: a restore into Cairn's own base image is refused even with --force, and the chain stays
     * sound: a later incremental restores the bytes of its snapshot.
     */
    @Test
    void restoringIntoABaseImageIsRefusedAndTheChainStaysSound() throws IOException {
        JsonNode full = backup("lab");
        String base = "backups/own-" + tag + ".backup." + full.get("id").asText();
        String baseSum = ceph.sha256(base + "@" + full.get("snapshot").asText());
        CliRun refused = cairn("restore", full.get("id").asText(), base, "--force");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("refusing to restore backup " + full.get("id").asText() + " into " + base
                + ": it is base-image " + base + " of backup " + full.get("id").asText()), refused.err());
        assertEquals(baseSum, ceph.sha256(base + "@" + full.get("snapshot").asText()));

        write("4K", "1M");
        JsonNode incremental = backup("lab");
        assertEquals("incremental", incremental.get("kind").asText());
        assertEquals(ceph.sha256(image + "@" + incremental.get("snapshot").asText()), restored(incremental));
    }

    /**
     * Finding 4: the parent's snapshot removed behind Cairn's back and another one made under its name -
     * the next backup is full, says why, restores the bytes of its own snapshot, and the impostor stays.
     */
    @Test
    void anImpostorOfTheParentsSnapshotMakesTheNextBackupFull() throws IOException {
        JsonNode full = backup("lab");
        String snapshot = full.get("snapshot").asText();
        ceph.rbd("snap", "rm", image + "@" + snapshot);
        write("4K", "1M");
        ceph.rbd("snap", "create", image + "@" + snapshot);
        write("4K", "1M");

        JsonNode next = backup("lab");
        assertEquals("full", next.get("kind").asText(), next.toString());
        String reason = next.get("reason").asText();
        assertTrue(reason.startsWith("full backup, new chain: parent " + full.get("id").asText()
                + " cannot be diffed from: snapshot " + image + "@" + snapshot + " has snapshot id "), reason);
        assertEquals(reason, json(cairn("show", next.get("id").asText(), "--json")).get("reason").asText());
        assertEquals(ceph.sha256(image + "@" + next.get("snapshot").asText()), restored(next));
        assertTrue(ceph.snapshots(image).contains(snapshot), "the impostor snapshot, not Cairn's, was removed");
    }

    /** {@code cairn show} names what Cairn owns for a backup on Ceph: snapshot id, base image id, restore point. */
    @Test
    void showListsTheSnapshotAndTheStorageObjectsCairnOwns() throws IOException {
        JsonNode full = backup("lab");
        JsonNode shown = json(cairn("show", full.get("id").asText(), "--json"));
        assertEquals("held", shown.get("snapshot_state").asText());
        assertTrue(shown.get("snapshot_identity").asText().matches("\\d+"), shown.toString());
        List<String> kinds = new ArrayList<>();
        shown.get("resources").forEach(r -> {
            kinds.add(r.get("kind").asText());
            assertFalse(r.get("identity").asText().isEmpty(), "recorded without its identity: " + r);
            assertEquals("held", r.get("state").asText());
        });
        assertTrue(kinds.containsAll(List.of("base-image", "base-snapshot", "metadata-object")), kinds.toString());
        String text = cairn("show", full.get("id").asText()).out();
        assertTrue(text.contains("owns:        base-image backups/own-" + tag + ".backup." + full.get("id").asText()
                + " (id "), text);
    }

    /** Finding 6: a restore into an image a live client writes is refused without --force, and nothing is written. */
    @Test
    void aRestoreIntoAnImageInUseIsRefusedWithoutForce() throws Exception {
        JsonNode full = backup("lab");
        String target = "volumes/busy-" + tag;
        ceph.rbd("create", target, "--size", "32M");
        Process writer = new ProcessBuilder("rbd", "--conf", ceph.conf().toString(), "bench", "--io-type", "write",
                "--io-size", "4K", "--io-threads", "1", "--io-total", "100G", "--io-pattern", "rand", target)
                .redirectErrorStream(true).start();
        try {
            awaitWatcher(target);
            CliRun refused = cairn("restore", full.get("id").asText(), target);
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("restore of backup " + full.get("id").asText() + " into " + target
                    + " on cluster lab refused: volume " + target + " is in use (watcher "), refused.err());
            assertTrue(writer.isAlive(), "a refused restore disturbed the writer");

            // With --force the restore holds the image exclusively: the writer's writes fail, the bytes are the backup's.
            json(cairn("restore", full.get("id").asText(), target, "--force", "--json", "-q"));
            assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "the writer kept writing through the restore");
            String end = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(end.contains("Read-only file system"), end);
            assertEquals(ceph.sha256(image + "@" + full.get("snapshot").asText()), ceph.sha256(target));
        } finally {
            writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Finding 7: a backup being restored is not deleted (nor pruned) until the restore ends. */
    @Test
    void aBackupBeingRestoredIsNotDeleted() throws Exception {
        JsonNode full = backup("lab");
        String id = full.get("id").asText();
        CountDownLatch restoring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProgressListener held = (done, total) -> {
            restoring.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String target = "volumes/held-" + tag;
        try (Host host = Host.open(conf.dir())) {
            BackupRecord backup = host.catalog().resolve(id);
            CompletableFuture<RestoreOutcome> restore = CompletableFuture.supplyAsync(() -> host.restores().restore(
                    backup, host.cluster("lab"), new VolumeRef(target), false, held));
            assertTrue(restoring.await(60, TimeUnit.SECONDS), "the restore never started writing");
            CliRun delete = cairn("delete", id);
            assertEquals(1, delete.exitCode(), delete.toString());
            assertTrue(delete.err().contains("backup " + id + " is being restored into " + target), delete.err());
            OperationFailedException refused = assertThrows(OperationFailedException.class,
                    () -> host.deletions().delete(backup, host.cluster("lab")));
            assertTrue(refused.getMessage().contains("delete it once the restore ends"), refused.getMessage());
            release.countDown();
            restore.get(120, TimeUnit.SECONDS);
        }
        assertEquals(ceph.sha256(image + "@" + full.get("snapshot").asText()), ceph.sha256(target));
        assertEquals("deleted", json(cairn("delete", id, "--json")).get("status").asText());
    }

    private void createPool(String pool) {
        Command.Result created = TestCluster.run(List.of("ceph", "--conf", ceph.conf().toString(), "osd", "pool",
                "create", pool, "8"), 120);
        assertEquals(0, created.exitCode(), created.toString());
        Command.Result init = TestCluster.run(List.of("rbd", "--conf", ceph.conf().toString(), "pool", "init", pool),
                120);
        assertEquals(0, init.exitCode(), init.toString());
    }

    private void awaitWatcher(String spec) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (ceph.tryRbd("status", spec).stdout().contains("watcher=")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the writer never opened " + spec);
    }
}
