package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.PluginJars;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 through the CLI, on the directory test backend: verify finds a stored copy damaged behind
 * Cairn's back and the backup turns corrupt (no parent, restore only forced, a sample never clears it, a
 * full verify does); deletes with a grace period are undone by undelete and finished by purge; and a
 * catalog lost with its data_dir is rebuilt from backup storage, restores and chains going on.
 */
class ProveAndRecoverCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = TestConf.in(root).directoryCluster("lab");
        PluginJars.directoryBackend(conf.pluginsDir());
    }

    private Path volume(String name, byte[] content) throws IOException {
        Path file = conf.volumesDir("lab").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private JsonNode jsonAnyExit(CliRun run) throws IOException {
        return JSON.readTree(run.out());
    }

    private Path stored(String id) {
        return root.resolve("backups/lab/store").resolve(id + ".img");
    }

    private byte[] restored(String id, String target) throws IOException {
        json(cairn("restore", id, target, "--json", "-q"));
        return Files.readAllBytes(conf.volumesDir("lab").resolve(target));
    }

    @Test
    void aDamagedBackupIsFoundMarkedCorruptNeverAParentAndRestoredOnlyWhenForced() throws IOException {
        byte[] data = random(64 * 1024, 1);
        Path db1 = volume("volumes/db1", data);
        String full = json(cairn("backup", "lab", "volumes/db1", "--json", "-q")).get("id").asText();

        JsonNode intact = json(cairn("verify", full, "--source", "--json")).get(0);
        assertEquals("intact", intact.get("result").asText());
        assertTrue(intact.get("complete").asBoolean());
        assertTrue(intact.get("source_compared").asBoolean(), intact.toString());
        CliRun text = cairn("verify", full);
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("intact - 64.0 KiB of 64.0 KiB checked"), text.out());

        // Damage the stored copy behind Cairn's back: one byte in the third block.
        byte[] copy = Files.readAllBytes(stored(full));
        copy[2 * 4096 + 100] ^= 0x5a;
        Files.write(stored(full), copy);
        CliRun found = cairn("verify", full, "--json");
        assertEquals(1, found.exitCode(), "a corrupt backup is exit 1: " + found);
        JsonNode corrupt = jsonAnyExit(found).get(0);
        assertEquals("corrupt", corrupt.get("result").asText());
        assertEquals("corrupt", corrupt.get("status").asText());
        assertEquals(8192, corrupt.get("damaged").get(0).get("offset").asLong());
        assertEquals(4096, corrupt.get("damaged").get(0).get("length").asLong());
        CliRun named = cairn("verify", full);
        assertTrue(named.out().contains("CORRUPT") && named.out().contains("damaged: bytes 8192-12287 (4.0 KiB)"),
                named.out());

        JsonNode shown = json(cairn("show", full, "--json"));
        assertEquals("corrupt", shown.get("status").asText());
        assertEquals("corrupt", shown.get("last_verify").get("result").asText());
        assertTrue(cairn("show", full).out().contains("damaged:   bytes 8192-12287 (4.0 KiB): differs"),
                cairn("show", full).out());

        // The next backup of the volume does not diff from it: a new chain, saying why.
        Files.write(db1, random(64 * 1024, 2));
        JsonNode next = json(cairn("backup", "lab", "volumes/db1", "--json", "-q"));
        assertEquals("full", next.get("kind").asText());
        assertTrue(next.get("reason").asText().contains("the newest backup " + full + " is corrupt"), next.toString());

        CliRun refused = cairn("restore", full, "volumes/from-corrupt");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("is corrupt") && refused.err().contains("--force"), refused.err());
        CliRun forced = cairn("restore", full, "volumes/from-corrupt", "--force", "--json", "-q");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals(8192, JSON.readTree(forced.out()).get("damaged").get(0).get("offset").asLong());
        assertTrue(forced.err().contains("bytes 8192-12287"), forced.err());

        // A sample that meets no damage leaves it corrupt; a full verify of the repaired copy clears it.
        boolean cleanSample = false;
        for (int i = 0; i < 80 && !cleanSample; i++) {
            JsonNode sample = jsonAnyExit(cairn("verify", full, "--sample", "1", "--json")).get(0);
            assertEquals("corrupt", sample.get("status").asText(), "a sample never clears a corrupt backup: " + sample);
            cleanSample = sample.get("result").asText().equals("intact");
        }
        assertTrue(cleanSample, "80 samples of one block in sixteen all met the damaged one");
        copy[2 * 4096 + 100] ^= 0x5a;
        Files.write(stored(full), copy);
        JsonNode repaired = json(cairn("verify", full, "--json")).get(0);
        assertEquals("available", repaired.get("status").asText(), repaired.toString());
        assertArrayEquals(data, restored(full, "volumes/repaired"));

        // Every stored backup of a cluster at once; a bad sample is a usage error.
        assertEquals(2, json(cairn("verify", "--cluster", "lab", "--json")).size());
        assertEquals(2, cairn("verify", full, "--sample", "0").exitCode());
        assertEquals(2, cairn("verify").exitCode());
    }

    @Test
    void aDeleteWithAGracePeriodIsUndoneByUndeleteAndFinishedByPurge() throws IOException, InterruptedException {
        conf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + TestConf.FREE_PORT + "delete_grace: 3s\n");
        byte[] data = random(32 * 1024, 3);
        volume("volumes/db1", data);
        String id = json(cairn("backup", "lab", "volumes/db1", "--json", "-q")).get("id").asText();

        CliRun deleted = cairn("delete", id, "--json");
        JsonNode expiring = json(deleted);
        assertEquals("expiring", expiring.get("status").asText());
        assertTrue(deleted.err().contains("cairn undelete " + id), deleted.err());
        assertTrue(Files.exists(stored(id)), "its data is kept within the grace");
        assertEquals(0, json(cairn("list", "--json")).size(), "hidden from list");
        assertEquals(1, json(cairn("list", "--all", "--json")).size());
        assertEquals(1, json(cairn("list", "--status", "expiring", "--json")).size());
        assertTrue(json(cairn("show", id, "--json")).get("expiry").get("expires_at").asText().endsWith("Z"));
        CliRun notRestored = cairn("restore", id, "volumes/x");
        assertEquals(1, notRestored.exitCode());
        assertTrue(notRestored.err().contains("cairn undelete " + id), notRestored.err());

        CliRun undeleted = cairn("undelete", id);
        assertEquals(0, undeleted.exitCode(), undeleted.toString());
        assertEquals("available", json(cairn("show", id, "--json")).get("status").asText());
        assertArrayEquals(data, restored(id, "volumes/undeleted"), "undeleted within the grace, byte-identical");

        json(cairn("delete", id, "--json"));
        assertTrue(cairn("purge").out().contains("nothing to purge") || json(cairn("purge", "--json")).isEmpty(),
                "nothing is due before the grace has passed");
        assertTrue(Files.exists(stored(id)));
        Thread.sleep(3500);
        JsonNode dry = json(cairn("purge", "--dry-run", "--json"));
        assertFalse(dry.get(0).get("purged").asBoolean());
        JsonNode purged = json(cairn("purge", "--json"));
        assertTrue(purged.get(0).get("purged").asBoolean(), purged.toString());
        assertEquals("deleted", json(cairn("show", id, "--json")).get("status").asText());
        assertFalse(Files.exists(stored(id)), "purge leaves nothing behind");
        try (Stream<Path> left = Files.list(root.resolve("backups/lab/store"))) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(id)).count());
        }
        CliRun late = cairn("undelete", id);
        assertEquals(1, late.exitCode());
        assertTrue(late.err().contains("purged"), late.err());

        // --now skips the grace.
        String other = json(cairn("backup", "lab", "volumes/db1", "--json", "-q")).get("id").asText();
        assertEquals("deleted", json(cairn("delete", other, "--now", "--json")).get("status").asText());
        assertFalse(Files.exists(stored(other)));
    }

    @Test
    void aLostCatalogIsRebuiltFromBackupStorageAndItsChainGoesOn() throws IOException {
        byte[] first = random(48 * 1024, 4);
        Path db1 = volume("volumes/db1", first);
        JsonNode full = json(cairn("backup", "lab", "volumes/db1", "--label", "tier=gold", "--json", "-q"));
        byte[] second = first.clone();
        System.arraycopy(random(4096, 5), 0, second, 4096, 4096);
        Files.write(db1, second);
        JsonNode incremental = json(cairn("backup", "lab", "volumes/db1", "--json", "-q"));
        JsonNode before = json(cairn("list", "--json"));

        deleteTree(root.resolve("data"));
        assertEquals(0, json(cairn("list", "--json")).size(), "data_dir lost: an empty catalog");

        JsonNode dry = json(cairn("catalog", "rebuild", "lab", "--dry-run", "--json"));
        assertEquals(2, dry.get("imported").size());
        assertEquals(0, json(cairn("list", "--json")).size(), "a dry run records nothing");

        JsonNode rebuilt = json(cairn("catalog", "rebuild", "lab", "--json"));
        assertEquals(2, rebuilt.get("imported").size(), rebuilt.toString());
        JsonNode after = json(cairn("list", "--json"));
        assertEquals(2, after.size());
        for (int i = 0; i < 2; i++) {
            for (String field : new String[] {"id", "cluster", "volume", "kind", "parent", "chain", "status", "size_bytes",
                    "labels", "service_metadata"}) {
                assertEquals(before.get(i).get(field), after.get(i).get(field), field + " of backup " + i);
            }
            // The catalog records when a backup started, storage when its snapshot was taken, right after.
            Instant recorded = Instant.parse(before.get(i).get("created_at").asText());
            Instant found = Instant.parse(after.get(i).get("created_at").asText());
            assertTrue(Duration.between(recorded, found).abs().compareTo(Duration.ofSeconds(2)) < 0,
                    recorded + " and " + found);
        }
        assertArrayEquals(first, restored(full.get("id").asText(), "volumes/full-rebuilt"));
        assertArrayEquals(second, restored(incremental.get("id").asText(), "volumes/incremental-rebuilt"));

        JsonNode again = json(cairn("catalog", "rebuild", "lab", "--json"));
        assertEquals(0, again.get("imported").size(), "a second rebuild changes nothing");
        assertEquals(2, again.get("agreeing").size());

        byte[] third = second.clone();
        System.arraycopy(random(4096, 6), 0, third, 20 * 1024, 4096);
        Files.write(db1, third);
        JsonNode next = json(cairn("backup", "lab", "volumes/db1", "--json", "-q"));
        assertEquals("incremental", next.get("kind").asText(), next.toString());
        assertEquals(incremental.get("id"), next.get("parent"));
        assertEquals(4096, next.get("bytes_written").asLong());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
