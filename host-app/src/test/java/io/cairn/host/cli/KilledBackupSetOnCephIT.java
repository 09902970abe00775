package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CairnProcess;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code cairn backup --group} process killed with SIGKILL after its first member was stored and while its
 * second is transferred: the set stays {@code creating} with one member {@code available} - until the next
 * backup of the same group, which fails the interrupted set whole (the stored member too, by its own records),
 * removes its group snapshot, and then makes its own set. Nothing of the killed set stays stored.
 */
class KilledBackupSetOnCephIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String group = "kset-" + UUID.randomUUID().toString().substring(0, 6);

    @Test
    void theNextBackupOfTheGroupFailsAKilledSetWholeAndNothingOfItStays() throws Exception {
        TestConf conf = CephTestConf.lab(root, ceph);
        // One IO at a time, so that the big member's transfer lasts long enough to be killed in its middle.
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: backups\n"
                + "  parallel_ios: 1\n");
        ceph.rbd("group", "create", "volumes/" + group);
        ceph.rbd("create", "volumes/" + group + "-a", "--size", "16M");
        ceph.rbd("create", "volumes/" + group + "-b", "--size", "384M");
        ceph.rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-total", "8M", "volumes/" + group + "-a");
        ceph.rbd("bench", "--io-type", "write", "--io-size", "4M", "--io-total", "320M", "volumes/" + group + "-b");
        for (String member : new String[] {"-a", "-b"}) {
            ceph.rbd("group", "image", "add", "volumes/" + group, "volumes/" + group + member);
        }

        String killedSet;
        try (CairnProcess backup = CairnProcess.start(conf, root.resolve("logs"), "backup", "lab", "--group",
                "volumes/" + group, "-q")) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            JsonNode caught = null;
            while (caught == null && System.nanoTime() < deadline) {
                assertTrue(backup.isAlive(), "the set ended before it could be killed\n" + backup);
                JsonNode sets = json(CliRun.of(conf, "list", "--sets", "--json"));
                if (sets.size() == 1 && sets.get(0).get("members").size() == 2
                        && "available".equals(sets.get(0).get("members").get(0).get("status").asText())
                        && "creating".equals(sets.get(0).get("members").get(1).get("status").asText())
                        && !sets.get(0).get("group_snapshot").isNull()) {
                    caught = sets.get(0);
                }
                Thread.sleep(50);
            }
            assertTrue(caught != null, "never saw the first member stored and the second in its transfer");
            backup.kill();
            killedSet = caught.get("id").asText();
        }
        JsonNode killed = json(CliRun.of(conf, "show", killedSet, "--json"));
        assertEquals("creating", killed.get("status").asText(), "the set ended before it was killed");
        assertEquals("held", killed.get("group_snapshot_state").asText());

        // The next backup of the group cleans up after the killed one first.
        JsonNode next = json(CliRun.of(conf, "backup", "lab", "--group", "volumes/" + group, "--json", "-q"));
        assertEquals("available", next.get("status").asText());
        killed = json(CliRun.of(conf, "show", killedSet, "--json"));
        assertEquals("error", killed.get("status").asText());
        assertTrue(killed.get("error").asText().startsWith("interrupted"), killed.get("error").asText());
        assertEquals("removed", killed.get("group_snapshot_state").asText());
        for (JsonNode member : killed.get("members")) {
            JsonNode record = json(CliRun.of(conf, "show", member.get("backup").asText(), "--json"));
            assertEquals("error", record.get("status").asText(), record.toString());
            assertFalse("held".equals(record.get("snapshot_state").asText()), record.toString());
            for (JsonNode resource : record.get("resources")) {
                assertEquals("removed", resource.get("state").asText(), "nothing of the killed set stays: " + record);
                if (resource.get("kind").asText().equals("base-image")) {
                    assertFalse(ceph.imageExists(resource.get("name").asText()), resource.toString());
                }
            }
        }
        // Only the new set's group snapshot ever remains - and it too is gone once its members were read.
        assertEquals("[]", ceph.rbd("group", "snap", "ls", "volumes/" + group, "--format", "json").trim());
        for (JsonNode member : next.get("members")) {
            assertEquals("full", member.get("kind").asText(), "no member of the killed set is a parent");
        }
    }

}
