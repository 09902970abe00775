package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CairnProcess;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn} processes killed with SIGKILL in the middle of a full backup, an incremental one, a
 * restore and a delete, on the directory test backend (slowed down so that each is caught in its
 * middle); then the next backup and restore of the volume. Afterwards every other backup restores
 * byte-identical to its source, nothing is left {@code creating} or {@code deleting}, the killed restore
 * is recorded as interrupted and its target stayed marked until it was restored again, and the backup
 * directory holds exactly what the catalog says Cairn owns: no orphan copy, no orphan snapshot.
 */
class KilledCommandsOnDirectoryBackendIT {

    private static final int SIZE = 1 << 20;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private TestConf conf;
    private Path volume;
    /** The volume's SHA-256 when each backup was taken, by backup id. */
    private final Map<String, String> sourceSums = new HashMap<>();

    @Test
    void killedBackupsRestoresAndDeletesLeaveNothingAndCostNoOtherBackup() throws Exception {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
        volume = conf.volumesDir("lab").resolve("volumes/db1");
        Files.createDirectories(volume.getParent());
        Files.write(volume, random(SIZE, 1));
        Path logs = root.resolve("logs");
        killAndRecover(logs);
    }

    private void killAndRecover(Path logs) throws Exception {
        JsonNode a = backup();
        overwrite(2);
        JsonNode b = backup();
        assertEquals("incremental", b.get("kind").asText());
        overwrite(3);
        JsonNode c = backup();

        // Slow enough (64 KiB/s: 16 s for the volume) to be caught in the middle of anything.
        faults("  copy_rate: 64KiB\n");

        // A full backup, killed while it writes its copy.
        JsonNode killedFull = killDuring(logs, rec -> rec.get("kind").asText().equals("full") && copyExists(rec),
                "backup", "lab", "volumes/db1", "--full", "-q");
        // An incremental one, killed the same way: its clean-up must spare its parent. Taking the volume's
        // lock over from the dead process, it first cleans up after the killed full backup.
        overwrite(4);
        JsonNode killedIncremental = killDuring(logs, rec -> rec.get("kind").asText().equals("incremental")
                && copyExists(rec), "backup", "lab", "volumes/db1", "-q");
        assertEquals(c.get("id").asText(), killedIncremental.get("parent").asText());
        assertInterruptedAndGone(killedFull);

        // A restore, killed while it writes the target: the target stays marked incomplete.
        Path target = root.resolve("restored-b.img");
        try (CairnProcess restore = CairnProcess.start(conf, logs, "restore", b.get("id").asText(), "file:" + target,
                "-q")) {
            waitFor("the restore to write", () -> Files.exists(target) && runningRestores().size() == 1
                    ? Optional.of(true) : Optional.empty(), restore);
            restore.kill();
        }
        assertEquals(1, incompleteMarks(), "the killed restore left no incomplete mark on its target");
        JsonNode killedRestore = json(CliRun.of(conf, "restores", "--json")).get(0);
        assertEquals("running", killedRestore.get("status").asText());
        assertFalse(killedRestore.get("live").asBoolean(), "a restore whose process is gone shows as live");

        // Deleting the killed full backup cleans up after the killed incremental first.
        CliRun deleteFailed = CliRun.of(conf, "delete", killedFull.get("id").asText());
        assertEquals(0, deleteFailed.exitCode(), deleteFailed.toString());
        assertInterruptedAndGone(killedIncremental);

        // A delete, killed between marking the backup deleting and removing it.
        faults("  delete_pause: 60s\n");
        try (CairnProcess delete = CairnProcess.start(conf, logs, "delete", a.get("id").asText())) {
            waitFor("the delete to start", () -> record(a.get("id").asText()).filter(r -> r.get("status").asText()
                    .equals("deleting")), delete);
            delete.kill();
        }
        assertTrue(copyExists(a), "the killed delete had removed the copy already; it was not caught in its middle");

        // The next backup of the volume finishes the delete; a restore into the target redoes the killed one
        // (which the next restore or delete - here the killed delete - recorded as interrupted).
        faults("");
        JsonNode d = backup();
        assertEquals(c.get("id").asText(), d.get("parent").asText(), "the killed incremental's parent was damaged");
        assertEquals("deleted", record(a.get("id").asText()).orElseThrow().get("status").asText());
        assertFalse(copyExists(a));
        CliRun redo = CliRun.of(conf, "restore", b.get("id").asText(), "file:" + target, "--force", "-q");
        assertEquals(0, redo.exitCode(), redo.toString());
        assertEquals(sourceSums.get(b.get("id").asText()), TestCluster.sha256(target));
        assertEquals(0, incompleteMarks(), "the redone restore did not clear the target's mark");
        JsonNode restores = json(CliRun.of(conf, "restores", "--json"));
        assertEquals(killedRestore.get("id").asText(), restores.get(0).get("id").asText());
        assertEquals(List.of("interrupted", "finished"), List.of(restores.get(0).get("status").asText(),
                restores.get(1).get("status").asText()));
        assertTrue(restores.get(0).get("error").asText().startsWith("interrupted: its process "), restores.toString());

        // Every other backup restores byte-identical; nothing is left half-done; storage holds what the
        // catalog says Cairn owns, and nothing else.
        for (JsonNode backup : List.of(b, c, d)) {
            Path restored = root.resolve("check-" + backup.get("id").asText() + ".img");
            assertEquals(0, CliRun.of(conf, "restore", backup.get("id").asText(), "file:" + restored, "-q").exitCode());
            assertEquals(sourceSums.get(backup.get("id").asText()), TestCluster.sha256(restored), backup.toString());
        }
        assertEquals(Set.of("available", "error", "deleted"), statuses());
        assertEquals(ownedCopies(), files(backupDir().resolve("store")));
        assertEquals(Set.of(d.get("snapshot").asText()), files(backupDir().resolve("snapshots/volumes%2Fdb1")));
    }

    /** A killed backup was recorded as interrupted, and its copy and its snapshot were removed. */
    private void assertInterruptedAndGone(JsonNode killed) throws IOException {
        JsonNode rec = record(killed.get("id").asText()).orElseThrow();
        assertTrue(List.of("error", "deleted").contains(rec.get("status").asText()), rec.toString());
        assertTrue(rec.get("error").asText().startsWith("interrupted: "), rec.toString());
        assertFalse(copyExists(killed), "the killed backup's partial copy survived: " + rec);
        assertFalse(files(backupDir().resolve("snapshots/volumes%2Fdb1")).contains(killed.get("snapshot").asText()),
                "the killed backup's snapshot survived: " + rec);
    }

    /** Starts a cairn command, waits until the backup it starts matches {@code caught}, and kills it. */
    private JsonNode killDuring(Path logs, java.util.function.Predicate<JsonNode> caught, String... args)
            throws Exception {
        Set<String> before = new TreeSet<>();
        list().forEach(r -> before.add(r.get("id").asText()));
        try (CairnProcess process = CairnProcess.start(conf, logs, args)) {
            JsonNode found = waitFor("a backup in its transfer", () -> list().stream()
                    .filter(r -> !before.contains(r.get("id").asText()))
                    .filter(r -> r.get("status").asText().equals("creating") && !r.get("snapshot").isNull())
                    .filter(caught).findFirst(), process);
            process.kill();
            return found;
        }
    }

    private interface Probe<T> {
        Optional<T> find() throws IOException;
    }

    private static <T> T waitFor(String what, Probe<T> probe, CairnProcess process) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.find();
            if (found.isPresent()) {
                return found.get();
            }
            assertTrue(process.isAlive(), "the process ended while waiting for " + what + "\n" + process);
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + process);
    }

    private JsonNode backup() throws IOException {
        String sum = TestCluster.sha256(volume);
        JsonNode backup = json(CliRun.of(conf, "backup", "lab", "volumes/db1", "--json", "-q"));
        sourceSums.put(backup.get("id").asText(), sum);
        return backup;
    }

    private void overwrite(long seed) throws IOException {
        byte[] content = Files.readAllBytes(volume);
        byte[] change = random(SIZE / 8, seed);
        System.arraycopy(change, 0, content, (int) (seed % 4) * (SIZE / 8), change.length);
        Files.write(volume, content);
    }

    private void faults(String extra) {
        conf.cluster("lab", "plugin: dir\noptions:\n  volumes_dir: " + conf.volumesDir("lab") + "\n  backup_dir: "
                + backupDir() + "\n" + extra);
    }

    private Path backupDir() {
        return root.resolve("backups/lab");
    }

    private boolean copyExists(JsonNode record) {
        return Files.exists(backupDir().resolve("store/" + record.get("id").asText() + ".img"));
    }

    private long incompleteMarks() throws IOException {
        return files(backupDir().resolve("restores")).size();
    }

    private List<JsonNode> runningRestores() throws IOException {
        List<JsonNode> running = new ArrayList<>();
        json(CliRun.of(conf, "restores", "--json")).forEach(r -> {
            if (r.get("status").asText().equals("running")) {
                running.add(r);
            }
        });
        return running;
    }

    /** The stored copies the catalog records as held by backups not deleted. */
    private Set<String> ownedCopies() throws IOException {
        Set<String> owned = new TreeSet<>();
        for (JsonNode backup : list()) {
            JsonNode shown = json(CliRun.of(conf, "show", backup.get("id").asText(), "--json"));
            shown.get("resources").forEach(resource -> {
                if (resource.get("state").asText().equals("held")) {
                    owned.add(Path.of(resource.get("name").asText()).getFileName().toString());
                }
            });
        }
        return owned;
    }

    private static Set<String> files(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        }
        return names;
    }

    private Set<String> statuses() throws IOException {
        Set<String> statuses = new TreeSet<>();
        list().forEach(r -> statuses.add(r.get("status").asText()));
        return statuses;
    }

    private Optional<JsonNode> record(String id) throws IOException {
        return list().stream().filter(r -> r.get("id").asText().equals(id)).findFirst();
    }

    private List<JsonNode> list() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        json(CliRun.of(conf, "list", "--all", "--json")).forEach(records::add);
        return records;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
