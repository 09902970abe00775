package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import io.cairn.host.testing.CairnProcess;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn} processes killed with SIGKILL on a real Ceph cluster - in the middle of a full backup's
 * transfer, an incremental one's, a restore and a delete - then {@code cairn serve} started again.
 * Within 20 s of its start the restarted host has cleaned up after all of them: the killed transfers'
 * clients are fenced (blocklisted) so their base image is free at once instead of after the OSDs' watch
 * timeout, what they wrote is removed by their own records, the interrupted delete is finished, the killed
 * restore is recorded as interrupted (its target stays marked until a restore into it finishes). Every
 * other backup - the killed incremental's parent first - restores byte-identical to its source snapshot,
 * and the pools hold exactly what the catalog says Cairn owns.
 */
class KilledCommandsOnCephIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final double RECOVERY_BOUND_SECONDS = 20;

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String tag = "kill" + UUID.randomUUID().toString().substring(0, 6);
    private TestConf conf;
    /** SHA-256 of each backup's source snapshot, by backup id, taken when it was made. */
    private final Map<String, String> sums = new HashMap<>();

    @Test
    void aRestartedServeCleansUpAfterKilledBackupsRestoresAndDeletesWithinTwentySeconds() throws Exception {
        conf = CephTestConf.lab(root, ceph);
        // One IO at a time, so that each transfer and restore lasts long enough to be killed in its middle.
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: backups\n"
                + "  parallel_ios: 1\n  delete_retries: 6\n  delete_retry_interval: 1s\n");
        killAndRecover();
    }

    private void killAndRecover() throws Exception {
        Path logs = root.resolve("logs");
        String full = volume("full", "384M");
        String inc = volume("inc", "128M");
        String res = volume("res", "384M");
        String del = volume("del", "64M");
        JsonNode incParent = backup(inc);
        JsonNode resBackup = backup(res);
        // Alone in its base image, so that its delete must remove the image.
        JsonNode delBackup = backup(del);

        // 1. A full backup killed while it writes its base image.
        JsonNode killedFull = killDuring(logs, full, r -> ceph.imageExists(base(full, r.get("id").asText())),
                "backup", "lab", full, "-q");
        // 2. An incremental one killed while it copies what changed into its parent's base image.
        write(inc, "256M");
        JsonNode killedInc = killDuring(logs, inc, r -> r.get("kind").asText().equals("incremental"),
                "backup", "lab", inc, "-q");
        // 3. A restore killed while it writes its target.
        String target = res + "-restored";
        try (CairnProcess restore = CairnProcess.start(conf, logs, "restore", resBackup.get("id").asText(), target,
                "-q")) {
            waitFor("the restore to write", () -> ceph.imageExists(target) && runningRestores() == 1
                    ? Optional.of(true) : Optional.empty(), restore);
            Thread.sleep(300);
            restore.kill();
        }
        assertEquals(resBackup.get("id").asText(), incompleteMark(target), "the killed restore left no mark");
        // 4. A delete killed while it waits for its base image, which another client holds open.
        String delBase = base(del, delBackup.get("id").asText());
        try (TestVolumes backups = new TestVolumes(ceph, "backups", 1);
                AutoCloseable holder = backups.holdOpen("backups", delBase.substring("backups/".length()));
                CairnProcess delete = CairnProcess.start(conf, logs, "delete", delBackup.get("id").asText())) {
            waitFor("the delete to start", () -> record(delBackup.get("id").asText())
                    .filter(r -> r.get("status").asText().equals("deleting")), delete);
            Thread.sleep(500);
            delete.kill();
        }
        assertEquals(Set.of("available", "creating", "deleting"), statuses());

        // 5. serve starts again: it has cleaned up after all of them within 20 s.
        long started = System.nanoTime();
        double seconds;
        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve.log"))) {
            while (statuses().contains("creating") || statuses().contains("deleting") || runningRestores() > 0) {
                seconds = (System.nanoTime() - started) / 1e9;
                assertTrue(seconds < 3 * RECOVERY_BOUND_SECONDS, "nothing cleaned up after " + seconds + " s\n"
                        + serve.log());
                assertTrue(serve.isAlive(), serve.log());
                Thread.sleep(100);
            }
            seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(serve.log().contains("fenced the client of "), "no dead client was fenced\n" + serve.log());
            assertEquals(0, serve.terminate(120), serve.log());
        }
        System.err.printf("[killed-commands] a restarted serve cleaned up after 2 killed backups, a killed restore"
                + " and a killed delete in %.1f s (bound %.0f s)%n", seconds, RECOVERY_BOUND_SECONDS);
        assertTrue(seconds < RECOVERY_BOUND_SECONDS, "recovery took " + seconds + " s");

        for (JsonNode killed : List.of(killedFull, killedInc)) {
            JsonNode rec = record(killed.get("id").asText()).orElseThrow();
            assertEquals("error", rec.get("status").asText(), rec.toString());
            assertTrue(rec.get("error").asText().startsWith("interrupted: "), rec.toString());
            assertFalse(ceph.snapshots(killed.get("volume").asText()).contains(killed.get("snapshot").asText()),
                    "the killed backup's snapshot survived: " + rec);
            assertFalse(ceph.objectExists("backups", "backup." + killed.get("id").asText() + ".meta"));
        }
        assertFalse(ceph.imageExists(base(full, killedFull.get("id").asText())), "the killed full's base survived");
        assertEquals("deleted", record(delBackup.get("id").asText()).orElseThrow().get("status").asText());
        JsonNode restore = json(CliRun.of(conf, "restores", "--json")).get(0);
        assertEquals("interrupted", restore.get("status").asText(), restore.toString());
        assertEquals(resBackup.get("id").asText(), incompleteMark(target), "the interrupted restore's mark went");

        // The target is restored again (its mark goes); every other backup restores byte-identical.
        json(CliRun.of(conf, "restore", resBackup.get("id").asText(), target, "--force", "--json", "-q"));
        assertEquals("", incompleteMark(target));
        assertEquals(sums.get(resBackup.get("id").asText()), ceph.sha256(target));
        for (JsonNode backup : List.of(incParent)) {
            String restored = backup.get("volume").asText() + "-check";
            json(CliRun.of(conf, "restore", backup.get("id").asText(), restored, "--json", "-q"));
            assertEquals(sums.get(backup.get("id").asText()), ceph.sha256(restored), backup.toString());
        }
        // The pools hold what the catalog says Cairn owns, and nothing else of these volumes.
        assertEquals(Set.of("available", "error", "deleted"), statuses());
        assertEquals(ownedBases(), imagesOf("backups"));
        for (String volume : List.of(full, inc, res, del)) {
            assertEquals(heldSnapshots(volume), new TreeSet<>(ceph.snapshots(volume)), volume);
        }
    }

    private String volume(String name, String data) {
        String image = "volumes/" + tag + "-" + name;
        ceph.rbd("create", image, "--size", "1G");
        write(image, data);
        return image;
    }

    private void write(String image, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4M", "--io-total", total, image);
    }

    private static String base(String volume, String chain) {
        return "backups/" + volume.substring("volumes/".length()) + ".backup." + chain;
    }

    private JsonNode backup(String volume) throws IOException {
        JsonNode backup = json(CliRun.of(conf, "backup", "lab", volume, "--json", "-q"));
        sums.put(backup.get("id").asText(), ceph.sha256(volume + "@" + backup.get("snapshot").asText()));
        return backup;
    }

    /** Starts a command, waits until the new backup of {@code volume} is in its transfer and matches, and kills it. */
    private JsonNode killDuring(Path logs, String volume, Predicate<JsonNode> caught, String... args) throws Exception {
        Set<String> before = new TreeSet<>();
        list().forEach(r -> before.add(r.get("id").asText()));
        try (CairnProcess process = CairnProcess.start(conf, logs, args)) {
            JsonNode found = waitFor("a backup of " + volume + " in its transfer", () -> list().stream()
                    .filter(r -> !before.contains(r.get("id").asText()) && r.get("volume").asText().equals(volume))
                    .filter(r -> r.get("status").asText().equals("creating") && !r.get("snapshot").isNull())
                    .filter(caught).findFirst(), process);
            Thread.sleep(300);
            process.kill();
            assertEquals("creating", record(found.get("id").asText()).orElseThrow().get("status").asText(),
                    "the backup ended before it was killed; the test proves nothing");
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

    private String incompleteMark(String image) {
        Command.Result result = ceph.tryRbd("image-meta", "get", image, "cairn.restore.incomplete");
        return result.exitCode() == 0 ? result.stdout().strip() : "";
    }

    private int runningRestores() throws IOException {
        int running = 0;
        for (JsonNode restore : json(CliRun.of(conf, "restores", "--json"))) {
            running += restore.get("status").asText().equals("running") ? 1 : 0;
        }
        return running;
    }

    /** Base images of these volumes that held resources of backups not deleted record. */
    private Set<String> ownedBases() throws IOException {
        Set<String> owned = new TreeSet<>();
        for (JsonNode backup : list()) {
            if (backup.get("status").asText().equals("deleted")) {
                continue;
            }
            json(CliRun.of(conf, "show", backup.get("id").asText(), "--json")).get("resources").forEach(r -> {
                if (r.get("state").asText().equals("held") && r.get("kind").asText().equals("base-image")) {
                    owned.add(r.get("name").asText());
                }
            });
            // A chain's base stays for its incrementals after its full backup is deleted; they name it.
            if (backup.get("status").asText().equals("available")) {
                owned.add("backups/" + backup.get("service_metadata").get("base").asText());
            }
        }
        return owned;
    }

    private Set<String> imagesOf(String pool) {
        Set<String> images = new TreeSet<>();
        for (String line : ceph.rbd("ls", pool).split("\n")) {
            if (line.startsWith(tag)) {
                images.add(pool + "/" + line.strip());
            }
        }
        return images;
    }

    private Set<String> heldSnapshots(String volume) throws IOException {
        Set<String> held = new TreeSet<>();
        for (JsonNode backup : list()) {
            if (backup.get("volume").asText().equals(volume)) {
                JsonNode shown = json(CliRun.of(conf, "show", backup.get("id").asText(), "--json"));
                if ("held".equals(shown.get("snapshot_state").asText(null))) {
                    held.add(shown.get("snapshot").asText());
                }
            }
        }
        return held;
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

}
