package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end against a real Ceph cluster and the real Ceph plugin JAR: backup (full, then
 * incremental), list, show, restore and delete, every restore checked by SHA-256 against the source
 * snapshot as the {@code rbd} CLI reads it.
 */
class CephBackupRestoreDeleteEndToEndTest {

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String image = "volumes/e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = CephTestConf.lab(root, ceph);
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private void write(String ioSize, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", ioSize, "--io-total", total, image);
    }

    @Test
    void backupListRestoreAndDeleteAreByteIdentical() throws IOException {
        ceph.rbd("create", image, "--size", "64M");
        write("64K", "16M");

        JsonNode full = json(cairn("backup", "lab", image, "--label", "suite=e2e", "--json"));
        assertEquals("full", full.get("kind").asText());
        assertTrue(full.get("parent").isNull());
        assertEquals("available", full.get("status").asText());
        assertEquals(64L << 20, full.get("size_bytes").asLong());
        String fullSnapshot = full.get("snapshot").asText();
        String fullSha = ceph.sha256(image + "@" + fullSnapshot);

        write("4K", "2M");
        JsonNode incremental = json(cairn("backup", "lab", image, "--json"));
        assertEquals("incremental", incremental.get("kind").asText());
        assertEquals(full.get("id").asText(), incremental.get("parent").asText());
        String incrementalSnapshot = incremental.get("snapshot").asText();
        String incrementalSha = ceph.sha256(image + "@" + incrementalSnapshot);
        assertFalse(fullSha.equals(incrementalSha), "the writes between the backups changed nothing");
        // Only the newest backup snapshot stays on the source.
        assertEquals(List.of(incrementalSnapshot), ceph.snapshots(image));

        JsonNode list = json(cairn("list", "--volume", image, "--json"));
        assertEquals(2, list.size());
        assertEquals(full.get("id"), list.get(0).get("id"));
        assertEquals(incremental.get("id"), list.get(1).get("id"));
        assertEquals("e2e", list.get(0).get("labels").get("suite").asText());
        assertEquals(incremental.get("id"), json(cairn("show", incremental.get("id").asText(), "--json")).get("id"));

        String fullTarget = image + "-restore-full";
        String incrementalTarget = image + "-restore-incr";
        JsonNode restored = json(cairn("restore", full.get("id").asText(), fullTarget, "--json"));
        assertTrue(restored.get("target_created").asBoolean());
        assertEquals(fullSha, ceph.sha256(fullTarget));
        json(cairn("restore", incremental.get("id").asText(), incrementalTarget, "--json"));
        assertEquals(incrementalSha, ceph.sha256(incrementalTarget));

        // An existing image holding data is written over only with --force.
        CliRun refused = cairn("restore", incremental.get("id").asText(), fullTarget);
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(fullTarget), refused.err());
        assertEquals(fullSha, ceph.sha256(fullTarget));
        json(cairn("restore", incremental.get("id").asText(), fullTarget, "--force", "--json"));
        assertEquals(incrementalSha, ceph.sha256(fullTarget));

        // Deleting the full backup keeps the incremental one restorable.
        assertEquals("deleted", json(cairn("delete", full.get("id").asText(), "--json")).get("status").asText());
        String again = image + "-restore-again";
        json(cairn("restore", incremental.get("id").asText(), again, "--json"));
        assertEquals(incrementalSha, ceph.sha256(again));

        assertEquals("deleted", json(cairn("delete", incremental.get("id").asText(), "--json")).get("status").asText());
        assertEquals(0, json(cairn("list", "--volume", image, "--json")).size());
        String base = full.get("service_metadata").get("base").asText();
        assertFalse(ceph.imageExists("backups/" + base), "base image " + base + " outlived its last backup");
        // The source keeps no backup snapshot once its last backup is deleted.
        assertEquals(List.of(), ceph.snapshots(image));
    }

    @Test
    void aFileIsBackedUpAndRestoredToAFile() throws IOException {
        byte[] data = new byte[3 << 20];
        new Random(42).nextBytes(data);
        Path source = Files.write(root.resolve("disk.img"), data);
        JsonNode backup = json(cairn("backup", "lab", "file:" + source, "--json"));
        assertEquals("full", backup.get("kind").asText());
        Path target = root.resolve("restored.img");
        json(cairn("restore", backup.get("id").asText(), "file:" + target, "--json"));
        assertEquals(TestCluster.sha256(source), TestCluster.sha256(target));
        json(cairn("delete", backup.get("id").asText(), "--json"));
    }

    @Test
    void aMissingVolumeFailsNamingItAndTheCluster() {
        CliRun run = cairn("backup", "lab", "volumes/nope-" + UUID.randomUUID().toString().substring(0, 6));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("volumes/nope-"), run.err());
        assertTrue(run.err().contains("on cluster lab failed"), run.err());
    }

    @Test
    void clustersReportsTheTestClusterReachable() throws IOException {
        JsonNode clusters = json(cairn("clusters", "--json"));
        assertEquals("lab", clusters.get(0).get("name").asText());
        assertTrue(clusters.get(0).get("reachable").asBoolean(), clusters.toString());
    }
}
