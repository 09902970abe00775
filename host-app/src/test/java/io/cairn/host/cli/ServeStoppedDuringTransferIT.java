package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn serve} killed with SIGKILL in the middle of a full backup's transfer, then started again:
 * at start it takes over the dead process's volume lock at once, removes through the plugin what the
 * interrupted backup wrote (its base image, snapshots, metadata) and records it as {@code error},
 * "interrupted"; the source keeps no snapshot of it; the next scheduled backup succeeds and restores
 * byte-identical. And stopped with SIGTERM in the middle of a transfer: it starts nothing new, lets the
 * running transfer finish, records it, and exits 0.
 */
class ServeStoppedDuringTransferIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();

    @Test
    void aKilledTransferIsCleanedUpAtTheNextStart() throws Exception {
        String tag = "kill" + UUID.randomUUID().toString().substring(0, 6);
        String image = "volumes/" + tag;
        TestConf conf = scheduleOneBigVolume(image, "768M");

        JsonNode killed;
        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve-1.log")).awaitServing(120)) {
            killed = awaitTransfer(conf, image, tag, serve);
            serve.kill();
        }
        String id = killed.get("id").asText();
        String base = "backups/" + tag + ".backup." + id;
        // The crash left what a crash leaves: a record in creating, a half-written base, a source snapshot.
        assertEquals("creating", list(conf, image).get(0).get("status").asText());
        assertTrue(ceph.imageExists(base), "no partial base image " + base + " to clean up");
        assertTrue(ceph.snapshots(image).contains(killed.get("snapshot").asText()));

        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve-2.log")).awaitServing(120)) {
            JsonNode recovered = waitFor("the killed backup marked interrupted", Duration.ofSeconds(30),
                    () -> list(conf, image).stream().filter(b -> b.get("id").asText().equals(id))
                            .filter(b -> b.get("status").asText().equals("error")).findFirst(), serve);
            assertTrue(recovered.get("error").asText().startsWith("interrupted"), recovered.toString());
            assertFalse(ceph.imageExists(base), "the partial base image " + base + " survived recovery");
            assertFalse(ceph.objectExists("backups", "backup." + id + ".meta"));
            assertFalse(ceph.snapshots(image).contains(killed.get("snapshot").asText()),
                    "the interrupted backup's source snapshot survived recovery");

            JsonNode next = waitFor("a backup after the restart", Duration.ofSeconds(120), () -> list(conf, image).stream()
                    .filter(b -> b.get("status").asText().equals("available")).findFirst(), serve);
            assertEquals(0, serve.terminate(120), serve.log());
            assertEquals("full", next.get("kind").asText());
            String target = image + "-restored";
            CliRun restore = CliRun.of(conf, "restore", next.get("id").asText(), target, "--json");
            assertEquals(0, restore.exitCode(), restore.toString());
            // Nothing wrote to the image since: its head is the source snapshot's content.
            assertEquals(ceph.sha256(image), ceph.sha256(target));
        }
        // The catalog is consistent: no record left creating or deleting (the interrupted one is error, or
        // deleted once retention removed it after the next backup), one snapshot: the newest backup's.
        List<JsonNode> records = list(conf, image);
        records.forEach(r -> assertTrue(List.of("available", "error", "deleted").contains(r.get("status").asText()),
                r.toString()));
        List<String> snapshots = ceph.snapshots(image);
        assertEquals(1, snapshots.size(), snapshots.toString());
        assertTrue(records.stream().anyMatch(r -> r.get("status").asText().equals("available")
                && r.get("snapshot").asText().equals(snapshots.get(0))), snapshots.toString());
    }

    @Test
    void aTerminatedServeLetsTheRunningTransferFinish() throws Exception {
        String tag = "term" + UUID.randomUUID().toString().substring(0, 6);
        String image = "volumes/" + tag;
        TestConf conf = scheduleOneBigVolume(image, "512M");

        JsonNode running;
        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve.log")).awaitServing(120)) {
            running = awaitTransfer(conf, image, tag, serve);
            assertEquals(0, serve.terminate(300), serve.log());
        }
        List<JsonNode> records = list(conf, image);
        assertEquals(1, records.size(), "no backup started after SIGTERM: " + records);
        JsonNode finished = records.get(0);
        assertEquals(running.get("id").asText(), finished.get("id").asText());
        assertEquals("available", finished.get("status").asText(), finished.toString());
        assertEquals(List.of(finished.get("snapshot").asText()), ceph.snapshots(image));

        String target = image + "-restored";
        CliRun restore = CliRun.of(conf, "restore", finished.get("id").asText(), target, "--json");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertEquals(ceph.sha256(image + "@" + finished.get("snapshot").asText()), ceph.sha256(target));
    }

    /** A 1 GiB image holding {@code data} of random data, backed up every 5 s one IO at a time. */
    private TestConf scheduleOneBigVolume(String image, String data) throws IOException {
        ceph.rbd("create", image, "--size", "1G");
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4M", "--io-total", data, image);
        TestConf conf = CephTestConf.lab(root, ceph);
        // One IO at a time, so the full backup's transfer lasts long enough to be stopped in its middle.
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: backups\n"
                + "  parallel_ios: 1\n");
        conf.write("schedules/often.yaml", "cluster: lab\nvolumes: [" + image + "]\ncron: \"0/5 * * * * ?\"\n");
        return conf;
    }

    /** The backup record of a transfer under way: creating, snapshot taken, base image written to. */
    private JsonNode awaitTransfer(TestConf conf, String image, String tag, ServeProcess serve) throws Exception {
        return waitFor("a backup in transfer", Duration.ofSeconds(60), () -> list(conf, image).stream()
                .filter(b -> b.get("status").asText().equals("creating") && !b.get("snapshot").isNull())
                .filter(b -> ceph.imageExists("backups/" + tag + ".backup." + b.get("id").asText()))
                .findFirst(), serve);
    }

    private interface Probe {
        Optional<JsonNode> find() throws IOException;
    }

    private static JsonNode waitFor(String what, Duration limit, Probe probe, ServeProcess serve) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> found = probe.find();
            if (found.isPresent()) {
                return found.get();
            }
            assertTrue(serve.isAlive(), "cairn serve ended while waiting for " + what + ":\n" + serve.log());
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + limit + " waiting for " + what + "\n" + serve.log());
    }

    private static List<JsonNode> list(TestConf conf, String image) throws IOException {
        CliRun run = CliRun.of(conf, "list", "--all", "--volume", image, "--json");
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> records = new java.util.ArrayList<>();
        JSON.readTree(run.out()).forEach(records::add);
        return records;
    }
}
