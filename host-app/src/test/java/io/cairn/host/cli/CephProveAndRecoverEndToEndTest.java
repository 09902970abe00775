package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's "done when", through the CLI on a real Ceph cluster with the real plugin JAR, each test in a
 * backup pool of its own: an object of a base image overwritten behind Cairn's back with the rados CLI is
 * caught by verify and keeps the next backup from using it as a parent; data_dir removed, catalog rebuild
 * lists the same backups, restores byte-identical and the chain continues; undelete within the grace
 * restores byte-identical and purge after it leaves nothing behind; and the OpenStack reference driver's
 * backups, made with the rbd CLI as the driver makes them, are imported restorable but not deleted until
 * adopted.
 */
class CephProveAndRecoverEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1 << 20;

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String pool = "prove-" + suffix;
    private final String image = "volumes/prove-" + suffix;
    private TestConf conf;

    @BeforeEach
    void setUp() {
        ceph.createPool(pool);
        Path plugins = TestCluster.projectRoot().resolve("plugins");
        conf = TestConf.in(root);
        conf.write("cairn.yaml", "plugins_dir: " + plugins + "\ndata_dir: " + root.resolve("data") + "\n"
                + TestConf.FREE_PORT);
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: " + pool + "\n");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private void write(String ioSize, String total) {
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", ioSize, "--io-total", total, image);
    }

    /** The SHA-256 of a restore of {@code id} into a new image, read back with the rbd CLI. */
    private String restoredSha(String id) throws IOException {
        String target = "volumes/restored-" + UUID.randomUUID().toString().substring(0, 8);
        json(cairn("restore", id, target, "--json", "-q"));
        String sha = ceph.sha256(target);
        ceph.rbd("rm", "--no-progress", target);
        return sha;
    }

    @Test
    void aBaseImageObjectOverwrittenWithRadosIsFoundAndEndsTheChain() throws IOException {
        ceph.rbd("create", image, "--size", "32M");
        write("4M", "32M");
        JsonNode full = json(cairn("backup", "lab", image, "--json", "-q"));
        String id = full.get("id").asText();
        String sha = ceph.sha256(image + "@" + full.get("snapshot").asText());
        JsonNode intact = json(cairn("verify", id, "--source", "--json")).get(0);
        assertEquals("intact", intact.get("result").asText());
        assertTrue(intact.get("source_compared").asBoolean(), intact.toString());
        assertTrue(intact.get("read_bytes").asLong() >= 8 * MIB, "the restore point and its source snapshot were read: "
                + intact);

        String base = pool + "/" + full.get("service_metadata").get("base").asText();
        Path garbage = root.resolve("garbage");
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(garbage, junk);
        // An object the backup stored data in (random writes leave some objects of the image unwritten).
        String baseId = ceph.imageId(base);
        long object = java.util.stream.LongStream.range(0, 8)
                .filter(n -> ceph.objectExists(pool, TestCluster.dataObject(baseId, n))).findFirst()
                .orElseThrow(() -> new AssertionError("the full backup stored no object in " + base));
        ceph.rados("-p", pool, "put", "--offset", "8192", TestCluster.dataObject(baseId, object), garbage.toString());

        CliRun caught = cairn("verify", id, "--json");
        assertEquals(1, caught.exitCode(), caught.toString());
        JsonNode corrupt = JSON.readTree(caught.out()).get(0);
        assertEquals("corrupt", corrupt.get("status").asText());
        // 4 KiB at 8 KiB into the object: the first of its 64 KiB digest chunks, and only that one, is named.
        assertEquals(object * 4 * MIB, corrupt.get("damaged").get(0).get("offset").asLong(), corrupt.toString());
        assertEquals(64 * 1024, corrupt.get("damaged").get(0).get("length").asLong());
        String damaged = "bytes " + object * 4 * MIB + "-" + (object * 4 * MIB + 64 * 1024 - 1);
        assertTrue(cairn("verify", id).out().contains("damaged: " + damaged + " (64.0 KiB): differs from the"
                + " digest recorded at backup time"));

        write("4K", "1M");
        JsonNode next = json(cairn("backup", "lab", image, "--json", "-q"));
        assertEquals("full", next.get("kind").asText(), "the corrupt backup is no parent: " + next);
        assertTrue(next.get("reason").asText().contains("new chain: the newest backup " + id + " is corrupt"), next.toString());
        assertFalse(next.get("service_metadata").get("base").asText().equals(full.get("service_metadata").get("base")
                .asText()), "a new base image");
        assertEquals("intact", json(cairn("verify", next.get("id").asText(), "--json")).get(0).get("result").asText());

        CliRun refused = cairn("restore", id, "volumes/never-" + suffix);
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("--force"), refused.err());
        String target = "volumes/forced-" + suffix;
        CliRun forced = cairn("restore", id, target, "--force", "--json", "-q");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertTrue(forced.err().contains(damaged), forced.err());
        assertFalse(sha.equals(ceph.sha256(target)), "the damage is restored as stored");
        ceph.rbd("rm", "--no-progress", target);
    }

    @Test
    void aLostDataDirIsRebuiltFromThePoolAndTheChainGoesOn() throws IOException {
        ceph.rbd("create", image, "--size", "48M");
        write("64K", "12M");
        Map<String, String> shas = new LinkedHashMap<>();
        JsonNode full = json(cairn("backup", "lab", image, "--label", "tier=gold", "--json", "-q"));
        shas.put(full.get("id").asText(), ceph.sha256(image + "@" + full.get("snapshot").asText()));
        for (int i = 0; i < 2; i++) {
            write("4K", "1M");
            JsonNode incremental = json(cairn("backup", "lab", image, "--json", "-q"));
            shas.put(incremental.get("id").asText(), ceph.sha256(image + "@" + incremental.get("snapshot").asText()));
        }
        JsonNode before = json(cairn("list", "--json"));

        deleteTree(root.resolve("data"));
        assertEquals(0, json(cairn("list", "--json")).size());
        JsonNode rebuilt = json(cairn("catalog", "rebuild", "lab", "--json"));
        assertEquals(3, rebuilt.get("imported").size(), rebuilt.toString());
        assertTrue(rebuilt.get("imported").get(2).get("snapshot_adopted").asBoolean(),
                "the newest backup's source snapshot, with its recorded snapshot id, is Cairn's again");
        JsonNode after = json(cairn("list", "--json"));
        assertEquals(3, after.size());
        for (int i = 0; i < 3; i++) {
            for (String field : new String[] {"id", "volume", "kind", "parent", "chain", "status", "size_bytes", "labels",
                    "service_metadata"}) {
                assertEquals(before.get(i).get(field), after.get(i).get(field), field + " of backup " + i);
            }
        }
        for (Map.Entry<String, String> backup : shas.entrySet()) {
            assertEquals(backup.getValue(), restoredSha(backup.getKey()), "restore of " + backup.getKey() + " after the rebuild");
            assertEquals("intact", json(cairn("verify", backup.getKey(), "--json")).get(0).get("result").asText());
        }
        assertEquals(0, json(cairn("catalog", "rebuild", "lab", "--json")).get("imported").size(), "idempotent");

        write("4K", "256K");
        JsonNode next = json(cairn("backup", "lab", image, "--json", "-q"));
        assertEquals("incremental", next.get("kind").asText(), next.toString());
        assertEquals(after.get(2).get("id"), next.get("parent"));
        assertTrue(next.get("bytes_written").asLong() <= 2 * MIB, next.toString());
        assertEquals(ceph.sha256(image + "@" + next.get("snapshot").asText()), restoredSha(next.get("id").asText()));
        assertEquals(List.of(next.get("snapshot").asText()), ceph.snapshots(image),
                "the adopted snapshot was removed as any previous one: only the newest stays");
    }

    @Test
    void undeleteWithinTheGraceRestoresAndPurgeAfterItLeavesNothing() throws IOException, InterruptedException {
        conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\ndata_dir: "
                + root.resolve("data") + "\n" + TestConf.FREE_PORT + "delete_grace: 4s\n");
        ceph.rbd("create", image, "--size", "16M");
        write("64K", "4M");
        JsonNode backup = json(cairn("backup", "lab", image, "--json", "-q"));
        String id = backup.get("id").asText();
        String sha = ceph.sha256(image + "@" + backup.get("snapshot").asText());

        assertEquals("expiring", json(cairn("delete", id, "--json")).get("status").asText());
        assertEquals(0, json(cairn("list", "--json")).size());
        json(cairn("undelete", id, "--json"));
        assertEquals(sha, restoredSha(id), "undeleted within the grace: byte-identical");

        assertEquals("expiring", json(cairn("delete", id, "--json")).get("status").asText());
        Thread.sleep(4500);
        JsonNode purged = json(cairn("purge", "--json"));
        assertTrue(purged.get(0).get("purged").asBoolean(), purged.toString());
        assertEquals(List.of(), ceph.rbd("ls", pool).lines().filter(l -> !l.isBlank()).toList(), "no base image left");
        assertEquals(List.of(), objects(), "no metadata or digests object left");
        assertEquals(List.of(), ceph.snapshots(image), "the source snapshot went with it");
    }

    @Test
    void theReferenceDriversBackupsAreImportedRestorableAndDeletedOnlyOnceAdopted() throws IOException {
        String volume = "volume-" + UUID.randomUUID();
        String spec = "volumes/" + volume;
        ceph.rbd("create", spec, "--size", "12M");
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "64K", "--io-total", "3M", spec);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String base = pool + "/" + volume + ".backup." + first;
        ceph.rbd("create", "--size", "12M", "--image-feature", "layering", base);
        List<String> shas = new ArrayList<>();
        String previous = null;
        for (String backup : List.of(first, second)) {
            String snapshot = "backup." + backup + ".snap.17000000" + (previous == null ? "00.5" : "50.25");
            ceph.rbd("snap", "create", spec + "@" + snapshot);
            String fromSnap = previous == null ? "" : " --from-snap " + previous;
            TestCluster.shell("rbd --conf " + ceph.conf() + " export-diff" + fromSnap + " " + spec + "@" + snapshot + " - | rbd --conf "
                    + ceph.conf() + " import-diff - " + base);
            shas.add(ceph.sha256(spec + "@" + snapshot));
            previous = snapshot;
            ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4K", "--io-total", "256K", spec);
        }

        JsonNode rebuilt = json(cairn("catalog", "rebuild", "lab", "--json"));
        assertEquals(2, rebuilt.get("imported").size(), rebuilt.toString());
        JsonNode listed = json(cairn("list", "--json"));
        assertEquals(List.of(first, second), List.of(listed.get(0).get("id").asText(), listed.get(1).get("id").asText()));
        assertEquals("foreign", listed.get(0).get("status").asText());
        assertEquals(spec, listed.get(0).get("volume").asText());
        assertEquals(first, listed.get(1).get("parent").asText());
        assertEquals(shas.get(0), restoredSha(first));
        assertEquals(shas.get(1), restoredSha(second));

        CliRun refused = cairn("delete", second, "--now");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("was written by OpenStack Cinder's Ceph backup driver")
                && refused.err().contains("cairn adopt"), refused.err());
        assertTrue(ceph.imageExists(base));

        CliRun adopted = cairn("adopt", first, second);
        assertEquals(0, adopted.exitCode(), adopted.toString());
        assertEquals("available", json(cairn("show", second, "--json")).get("status").asText());
        json(cairn("delete", second, "--now", "--json"));
        json(cairn("delete", first, "--now", "--json"));
        assertFalse(ceph.imageExists(base), "once adopted, deleting its last backup removes the driver's base image");
        ceph.rbd("snap", "purge", spec);
        ceph.rbd("rm", "--no-progress", spec);
    }

    private List<String> objects() {
        return Arrays.stream(ceph.rados("-p", pool, "ls").split("\n")).filter(l -> !l.isBlank())
                .filter(l -> !l.startsWith("rbd_")).sorted().toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
