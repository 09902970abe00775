package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.backup.OperationFailedException;
import io.cairn.host.backup.RestoreOrchestrator.RestoreOutcome;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Cairn owns, removes and refuses, through the CLI on the directory test backend: snapshots are
 * removed only as recorded, by name and identity; a failed backup's storage is removed by its own
 * records (or by the next operation on the volume when it cannot be at once); restores are refused into
 * backup storage, recorded, and keep their backup from being deleted while they run.
 */
class OwnershipOnDirectoryBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "plugin: dir\noptions:\n  volumes_dir: %s\n  backup_dir: %s\n%s";

    @TempDir
    Path root;

    private TestConf conf;
    private Path db1;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        db1 = conf.volumesDir("lab").resolve("volumes/db1");
        Files.createDirectories(db1.getParent());
        Files.write(db1, random(64 * 1024, 1));
    }

    /** Rewrites the cluster file with extra test-backend options (the faults to play). */
    private void labOptions(String extra) {
        conf.cluster("lab", String.format(CLUSTER, conf.volumesDir("lab"), backupDir(), extra));
    }

    private Path backupDir() {
        return root.resolve("backups/lab");
    }

    private Path snapshots() {
        return backupDir().resolve("snapshots/volumes%2Fdb1");
    }

    private Path stored(String id) {
        return backupDir().resolve("store/" + id + ".img");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private JsonNode backup() throws IOException {
        return json(cairn("backup", "lab", "volumes/db1", "--json"));
    }

    private List<String> snapshotFiles() throws IOException {
        if (!Files.isDirectory(snapshots())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(snapshots())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void snapshotsNamedLikeBackupSnapshotsThatCairnDidNotRecordAreNeverTouched() throws IOException {
        JsonNode first = backup();
        // Another tool's snapshot, and one named for a backup id this catalog never made.
        Files.write(snapshots().resolve("backup.0badc0de-0000-4000-8000-000000000000.snap.1"), random(64, 2));
        Files.write(snapshots().resolve("backup." + first.get("id").asText() + ".snap.999"), random(64, 3));
        JsonNode second = backup();
        JsonNode third = backup();
        json(cairn("delete", second.get("id").asText(), "--json"));
        json(cairn("delete", third.get("id").asText(), "--json"));
        backup();

        List<String> left = snapshotFiles();
        assertTrue(left.contains("backup.0badc0de-0000-4000-8000-000000000000.snap.1"), left.toString());
        assertTrue(left.contains("backup." + first.get("id").asText() + ".snap.999"), left.toString());
        assertEquals(3, left.size(), "the two foreign files and the newest backup's snapshot: " + left);
    }

    @Test
    void anImpostorOfTheParentsSnapshotMakesTheNextBackupFullSaysWhyAndStays() throws IOException {
        JsonNode first = backup();
        Path snapshot = snapshots().resolve(first.get("snapshot").asText());
        // The parent's snapshot is removed behind Cairn's back and another one made under its name.
        Files.delete(snapshot);
        byte[] impostor = random(64 * 1024, 9);
        Files.write(snapshot, impostor);

        CliRun run = cairn("backup", "lab", "volumes/db1", "--json");
        JsonNode second = json(run);
        assertEquals("full", second.get("kind").asText(), second.toString());
        String reason = second.get("reason").asText();
        assertTrue(reason.startsWith("full backup, new chain: parent " + first.get("id").asText()
                + " cannot be diffed from: snapshot " + first.get("snapshot").asText() + " of parent "
                + first.get("id").asText() + " is another file of the same name"), reason);
        assertTrue(run.err().contains("note: full backup, new chain"), run.err());
        assertEquals(reason, json(cairn("show", second.get("id").asText(), "--json")).get("reason").asText());
        assertTrue(cairn("show", second.get("id").asText()).out().contains("why:         " + reason));
        // The impostor is not Cairn's: removing the parent's recorded snapshot left it alone.
        assertArrayEquals(impostor, Files.readAllBytes(snapshot));
        assertEquals("removed", json(cairn("show", first.get("id").asText(), "--json")).get("snapshot_state").asText());

        Path target = root.resolve("restored.img");
        json(cairn("restore", second.get("id").asText(), "file:" + target, "--json"));
        assertArrayEquals(Files.readAllBytes(db1), Files.readAllBytes(target));
    }

    @Test
    void afterTheNewestBackupIsDeletedTheNextIsFullBecauseItsParentsSnapshotWasRemoved() throws IOException {
        JsonNode first = backup();
        JsonNode second = backup();
        assertEquals("incremental", second.get("kind").asText());
        json(cairn("delete", second.get("id").asText(), "--json"));

        JsonNode third = backup();
        assertEquals("full", third.get("kind").asText());
        assertEquals("full backup, new chain: the source snapshot " + first.get("snapshot").asText() + " of "
                + first.get("id").asText() + ", the newest available backup, was removed when a newer backup (since"
                + " deleted) was stored; there is nothing to diff from", third.get("reason").asText());
        assertEquals(List.of(third.get("snapshot").asText()), snapshotFiles());
    }

    @Test
    void showListsWhatCairnOwnsForABackup() throws IOException {
        JsonNode full = backup();
        String id = full.get("id").asText();
        JsonNode shown = json(cairn("show", id, "--json"));
        assertEquals("held", shown.get("snapshot_state").asText());
        assertFalse(shown.get("snapshot_identity").asText().isEmpty(), shown.toString());
        JsonNode resource = shown.get("resources").get(0);
        assertEquals("stored-copy", resource.get("kind").asText());
        assertEquals(stored(id).toString(), resource.get("name").asText());
        assertEquals("held", resource.get("state").asText());
        assertFalse(resource.get("identity").asText().isEmpty(), resource.toString());
        String text = cairn("show", id).out();
        assertTrue(text.contains("owns:        stored-copy " + stored(id)), text);
        assertTrue(text.contains("snapshot:    " + full.get("snapshot").asText() + " (id "), text);

        json(cairn("delete", id, "--json"));
        JsonNode deleted = json(cairn("show", id, "--json"));
        assertEquals("removed", deleted.get("snapshot_state").asText());
        assertEquals("removed", deleted.get("resources").get(0).get("state").asText());
        assertFalse(Files.exists(stored(id)));
    }

    @Test
    void aFailedBackupsStorageIsRemovedAtOnceByItsOwnRecords() throws IOException {
        // The backend loses storage half-way and cannot roll back: its partial copy stays, recorded.
        labOptions("  fail_transfer_after: 16KiB\n");
        CliRun failed = cairn("backup", "lab", "volumes/db1", "--json");
        assertEquals(1, failed.exitCode(), failed.toString());
        JsonNode record = JSON.readTree(failed.out());
        String id = record.get("id").asText();
        assertEquals("error", record.get("status").asText());
        assertFalse(Files.exists(stored(id)), "the failed backup's recorded partial copy was not removed");
        assertEquals(List.of(), snapshotFiles(), "the failed backup's snapshot was not removed");
        JsonNode shown = json(cairn("show", id, "--json"));
        assertEquals("removed", shown.get("resources").get(0).get("state").asText());
        assertEquals("removed", shown.get("snapshot_state").asText());

        CliRun delete = cairn("delete", id);
        assertEquals(0, delete.exitCode(), delete.toString());
        assertTrue(delete.err().contains("had failed and left nothing Cairn recorded; marked deleted"), delete.err());
    }

    @Test
    void whatAFailedBackupCouldNotRemoveIsNamedAndRemovedByTheNextDeleteOrBackup() throws IOException {
        // Storage stops answering for the transfer, its rollback and the host's clean-up alike.
        labOptions("  fail_transfer_after: 16KiB\n  fail_deletes: true\n");
        CliRun first = cairn("backup", "lab", "volumes/db1", "--json");
        CliRun second = cairn("backup", "lab", "volumes/db1", "--json");
        assertEquals(1, first.exitCode(), first.toString());
        String firstId = JSON.readTree(first.out()).get("id").asText();
        String secondId = JSON.readTree(second.out()).get("id").asText();
        String snapshot = JSON.readTree(first.out()).get("snapshot").asText();
        assertTrue(first.err().contains("left for the next backup or delete of volumes/db1 to remove: snapshot"
                + " volumes/db1@" + snapshot + ", stored-copy " + stored(firstId)), first.err());
        assertTrue(Files.exists(stored(firstId)) && Files.exists(stored(secondId)));
        assertTrue(snapshotFiles().contains(snapshot));

        labOptions("");
        // `cairn delete` of a failed backup removes what it recorded (it used to say "stored nothing").
        CliRun delete = cairn("delete", firstId);
        assertEquals(0, delete.exitCode(), delete.toString());
        assertTrue(delete.out().contains("removed file " + stored(firstId)), delete.out());
        assertFalse(Files.exists(stored(firstId)));
        assertFalse(snapshotFiles().contains(snapshot));
        // The delete's clean-up of the volume already removed the second one's leftovers too.
        assertTrue(delete.err().contains("backup " + secondId + " had failed and still owned storage; removed file "
                + stored(secondId)), delete.err());
        assertFalse(Files.exists(stored(secondId)));

        JsonNode next = backup();
        assertEquals("full", next.get("kind").asText());
        assertEquals(List.of(next.get("snapshot").asText()), snapshotFiles());
    }

    @Test
    void theNextBackupRemovesWhatAFailedOneLeft() throws IOException {
        labOptions("  fail_transfer_after: 16KiB\n  fail_deletes: true\n");
        CliRun failed = cairn("backup", "lab", "volumes/db1", "--json");
        String id = JSON.readTree(failed.out()).get("id").asText();
        assertTrue(Files.exists(stored(id)));

        labOptions("");
        CliRun next = cairn("backup", "lab", "volumes/db1", "--json");
        assertEquals(0, next.exitCode(), next.toString());
        assertTrue(next.err().contains("backup " + id + " had failed and still owned storage; removed file "
                + stored(id)), next.err());
        assertFalse(Files.exists(stored(id)));
        assertEquals(List.of(JSON.readTree(next.out()).get("snapshot").asText()), snapshotFiles());
    }

    @Test
    void olderSnapshotsABackupLeftHeldAreReleasedByTheNextCleanUpOfTheVolume() throws IOException {
        JsonNode first = backup();
        // The second backup is stored, but the first one's snapshot cannot be removed after it - as when its
        // process is killed right then (the model test found it so): both stay held.
        labOptions("  fail_snapshot_removals: true\n");
        JsonNode second = backup();
        assertEquals(2, snapshotFiles().size());
        assertEquals("held", json(cairn("show", first.get("id").asText(), "--json")).get("snapshot_state").asText());

        // Any clean-up of the volume - here a prune's, which keeps both backups - releases the older one.
        labOptions("");
        conf.write("schedules/keep.yaml", "cluster: lab\nvolumes: [volumes/db1]\ncron: \"0 0 0 1 1 ? 2099\"\n"
                + "retention:\n  keep_last: 5\n");
        CliRun prune = cairn("prune", "keep");
        assertEquals(0, prune.exitCode(), prune.toString());
        assertEquals(List.of(second.get("snapshot").asText()), snapshotFiles());
        assertEquals("removed", json(cairn("show", first.get("id").asText(), "--json")).get("snapshot_state").asText());
        JsonNode next = backup();
        assertEquals("incremental", next.get("kind").asText());
        assertEquals(second.get("id").asText(), next.get("parent").asText());
    }

    @Test
    void restoresIntoBackupStorageAreRefusedByTheHostAndNothingIsWritten() throws IOException {
        JsonNode full = backup();
        String id = full.get("id").asText();
        byte[] before = Files.readAllBytes(stored(id));
        CliRun refused = cairn("restore", id, "file:" + stored(id), "--force");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("refusing to restore backup " + id + " into file:" + stored(id)
                + ": it is stored-copy " + stored(id) + " of backup " + id + " on cluster lab, where Cairn stores"
                + " backups"), refused.err());
        assertArrayEquals(before, Files.readAllBytes(stored(id)));
    }

    @Test
    void restoresAreRecordedAndARunningOneKeepsItsBackupFromBeingDeletedOrPruned() throws Exception {
        JsonNode full = backup();
        String id = full.get("id").asText();
        labOptions("  copy_rate: 16KiB\n");
        Path target = root.resolve("restored.img");
        try (Host host = Host.open(conf.dir())) {
            BackupRecord backup = host.catalog().resolve(id);
            CompletableFuture<RestoreOutcome> restore = CompletableFuture.supplyAsync(() -> host.restores().restore(
                    backup, host.cluster("lab"), VolumeRef.ofFile(target), false, ProgressListener.NONE));
            waitForRunningRestore(host, backup);

            // Another process's delete is refused, naming the restore, and so is this one's.
            CliRun delete = cairn("delete", id);
            assertEquals(1, delete.exitCode(), delete.toString());
            assertTrue(delete.err().contains("backup " + id + " is being restored into file:" + target), delete.err());
            OperationFailedException refused = assertThrows(OperationFailedException.class,
                    () -> host.deletions().delete(backup, host.cluster("lab")));
            assertTrue(refused.getMessage().contains("delete it once the restore ends"), refused.getMessage());
            assertEquals("available", json(cairn("show", id, "--json")).get("status").asText());

            RestoreOutcome outcome = restore.get(60, TimeUnit.SECONDS);
            assertEquals(RestoreRecord.Status.FINISHED, outcome.record().status());
        }
        assertArrayEquals(Files.readAllBytes(db1), Files.readAllBytes(target));
        JsonNode restores = json(cairn("restores", "--json"));
        assertEquals(1, restores.size());
        assertEquals(id, restores.get(0).get("backup").asText());
        assertEquals("file:" + target, restores.get(0).get("target").asText());
        assertEquals("finished", restores.get(0).get("status").asText());
        assertEquals(64 * 1024, restores.get(0).get("bytes_written").asLong());
        assertEquals("finished", json(cairn("show", id, "--json")).get("restores").get(0).get("status").asText());

        labOptions("");
        assertEquals("deleted", json(cairn("delete", id, "--json")).get("status").asText());
    }

    private static void waitForRunningRestore(Host host, BackupRecord backup) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (host.restoreLog().live(backup.id()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restore of " + backup.id() + " never showed as running");
            }
            Thread.sleep(20);
        }
    }
}
