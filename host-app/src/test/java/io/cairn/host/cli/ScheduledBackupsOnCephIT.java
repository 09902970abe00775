package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.ServeProcess;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn serve} for about a minute against a real Ceph cluster, a schedule firing every five
 * seconds with {@code full_every: 4} and {@code keep_last: 3}, data written between firings: the
 * expected number of backups, chains of four (a full and three incrementals, each the child of the one
 * before), everything but the newest three pruned, the remaining three restoring byte-identical to the
 * source snapshots as they were when backed up, and nothing leaked on the cluster (no base image of a
 * pruned chain, no source snapshot but the newest). Then SIGTERM stops it with exit code 0.
 */
class ScheduledBackupsOnCephIT {

    private static final int PERIOD_SECONDS = 5;
    private static final long RUN_MILLIS = 60_000;

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();

    @Test
    void aMinuteOfScheduledBackupsKeepsChainsRetentionAndRestores() throws Exception {
        String tag = "sched" + UUID.randomUUID().toString().substring(0, 6);
        String image = "volumes/" + tag + "-a";
        ceph.rbd("create", image, "--size", "64M");
        write(image, "64K", "8M");
        TestConf conf = CephTestConf.lab(root, ceph);
        conf.write("schedules/often.yaml", "cluster: lab\nvolumes: [\"volumes/" + tag + "-*\"]\n"
                + "cron: \"0/" + PERIOD_SECONDS + " * * * * ?\"\nchain: {full_every: 4}\nretention: {keep_last: 3}\n");

        // Backup id -> SHA-256 of its source snapshot, read right after the backup became available.
        Map<String, String> sourceSha = new LinkedHashMap<>();
        long started = System.currentTimeMillis();
        long stopped;
        try (ServeProcess serve = ServeProcess.start(conf, root.resolve("serve.log")).awaitServing(120)) {
            while (System.currentTimeMillis() - started < RUN_MILLIS) {
                assertTrue(serve.isAlive(), "cairn serve ended early:\n" + serve.log());
                for (JsonNode backup : list(conf, image)) {
                    String id = backup.get("id").asText();
                    if (backup.get("status").asText().equals("available") && !sourceSha.containsKey(id)) {
                        sourceSha.put(id, ceph.sha256(image + "@" + backup.get("snapshot").asText()));
                        // New data for the next firing, so that every backup differs from the one before.
                        write(image, "4K", "1M");
                    }
                }
                Thread.sleep(300);
            }
            stopped = System.currentTimeMillis();
            assertEquals(0, serve.terminate(120), "SIGTERM exit code\n" + serve.log());
            assertTrue(serve.log().contains("cairn: stopped"), serve.log());
        }
        // A backup that became available after the last look (or during SIGTERM's wait for it) still
        // has its snapshot on the source - the newest one always stays - and a snapshot never changes.
        for (JsonNode backup : list(conf, image)) {
            String id = backup.get("id").asText();
            String snapshot = backup.get("snapshot").asText();
            if (backup.get("status").asText().equals("available") && !sourceSha.containsKey(id)
                    && ceph.snapshots(image).contains(snapshot)) {
                sourceSha.put(id, ceph.sha256(image + "@" + snapshot));
            }
        }

        List<JsonNode> all = new ArrayList<>();
        list(conf, image).forEach(all::add);
        long firings = (stopped - started) / 1000 / PERIOD_SECONDS;
        System.err.printf("[serve-it] %d backups in %.1f s; %d source snapshots checksummed%n", all.size(),
                (stopped - started) / 1000.0, sourceSha.size());
        assertTrue(all.size() >= firings - 1 && all.size() <= firings + 2, all.size() + " backups in "
                + (stopped - started) + " ms of a schedule firing every " + PERIOD_SECONDS + " s");

        // Chains: full, then three incrementals each on the backup before; then a new chain.
        String chain = null;
        for (int i = 0; i < all.size(); i++) {
            JsonNode backup = all.get(i);
            String kind = backup.get("kind").asText();
            assertEquals(i % 4 == 0 ? "full" : "incremental", kind, "backup " + i + ": " + backup);
            if (kind.equals("full")) {
                chain = backup.get("id").asText();
                assertTrue(backup.get("parent").isNull());
            } else {
                assertEquals(all.get(i - 1).get("id").asText(), backup.get("parent").asText(), "backup " + i);
            }
            assertEquals(chain, backup.get("chain").asText(), "backup " + i);
            assertEquals("often", backup.get("labels").get("schedule").asText());
            // Retention: the newest three stay, everything older was pruned.
            assertEquals(i >= all.size() - 3 ? "available" : "deleted", backup.get("status").asText(), "backup " + i);
        }
        String reason = all.get(4).get("reason").asText();
        assertTrue(reason.contains("chain of 4 reached full_every 4"), reason);

        // Every remaining backup restores byte-identical to its source snapshot at backup time.
        List<JsonNode> kept = all.subList(all.size() - 3, all.size());
        Set<String> distinct = new HashSet<>();
        for (JsonNode backup : kept) {
            String id = backup.get("id").asText();
            String target = image + "-restored-" + id.substring(0, 8);
            CliRun restore = CliRun.of(conf, "restore", id, target, "--json");
            assertEquals(0, restore.exitCode(), restore.toString());
            assertTrue(sourceSha.containsKey(id), "no source checksum recorded for " + id);
            assertEquals(sourceSha.get(id), ceph.sha256(target), "restore of " + id);
            distinct.add(sourceSha.get(id));
            ceph.rbd("rm", "--no-progress", target);
        }
        assertEquals(3, distinct.size(), "the data written between firings did not reach the backups");

        // Nothing leaked: base images only for the chains that still hold a backup, one source snapshot.
        Set<String> expectedBases = new HashSet<>();
        kept.forEach(backup -> expectedBases.add(backup.get("service_metadata").get("base").asText()));
        Set<String> bases = new HashSet<>();
        Arrays.stream(ceph.rbd("ls", "backups").split("\n")).filter(name -> name.startsWith(tag + "-a.")).forEach(bases::add);
        assertEquals(expectedBases, bases);
        assertEquals(List.of(kept.get(2).get("snapshot").asText()), ceph.snapshots(image));
        for (JsonNode pruned : all.subList(0, all.size() - 3)) {
            assertTrue(!ceph.objectExists("backups", "backup." + pruned.get("id").asText() + ".meta"),
                    "metadata object of pruned backup " + pruned.get("id"));
        }

        // The last firing is reported; a dry-run prune now keeps everything.
        JsonNode schedules = json(CliRun.of(conf, "schedules", "--json"));
        assertEquals("ok", schedules.get(0).get("last_run").get("status").asText(), schedules.toString());
        assertEquals(List.of(image), List.of(schedules.get(0).get("resolved_volumes").get(0).asText()));
        JsonNode prune = json(CliRun.of(conf, "prune", "often", "--dry-run", "--json"));
        assertEquals(3, prune.get(0).get("backups").size());
        prune.get(0).get("backups").forEach(b -> assertEquals("keep", b.get("decision").asText(), b.toString()));
        assertNotEquals(0, sourceSha.size());
    }

    private void write(String image, String ioSize, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", ioSize, "--io-total", total, image);
    }

    private static JsonNode list(TestConf conf, String image) throws IOException {
        return json(CliRun.of(conf, "list", "--all", "--volume", image, "--json"));
    }

}
