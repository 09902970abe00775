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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end against the directory test backend, loaded as a plugin JAR: every command,
 * its JSON, its exit codes and its error messages. (The same flows run against Ceph in
 * {@code CephCliEndToEndTest}.)
 */
class DirectoryBackendCliTest {

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

    @Test
    void backupListShowRestoreDeleteWithJson() throws IOException {
        byte[] first = random(64 * 1024, 1);
        Path db1 = volume("volumes/db1", first);

        JsonNode full = json(cairn("backup", "lab", "volumes/db1", "--label", "env=test", "--json"));
        assertEquals("lab", full.get("cluster").asText());
        assertEquals("volumes/db1", full.get("volume").asText());
        assertEquals("full", full.get("kind").asText());
        assertTrue(full.get("parent").isNull());
        assertEquals("available", full.get("status").asText());
        assertEquals(first.length, full.get("size_bytes").asLong());
        assertTrue(full.get("created_at").asText().endsWith("Z"), full.toString());
        assertEquals("test", full.get("labels").get("env").asText());

        byte[] second = first.clone();
        System.arraycopy(random(4096, 2), 0, second, 8192, 4096);
        Files.write(db1, second);
        JsonNode incremental = json(cairn("backup", "lab", "volumes/db1", "--json"));
        assertEquals("incremental", incremental.get("kind").asText());
        assertEquals(full.get("id").asText(), incremental.get("parent").asText());
        assertEquals(full.get("id").asText(), incremental.get("chain").asText());
        assertEquals(4096, incremental.get("bytes_written").asLong());

        JsonNode list = json(cairn("list", "--json"));
        assertEquals(2, list.size());
        assertEquals(full.get("id"), list.get(0).get("id"));
        assertEquals(incremental.get("id"), list.get(1).get("id"));
        assertEquals(0, json(cairn("list", "--cluster", "other", "--json")).size());
        assertEquals(2, json(cairn("list", "--volume", "volumes/db1", "--json")).size());

        CliRun show = cairn("show", incremental.get("id").asText().substring(0, 8));
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("kind:        incremental (parent " + full.get("id").asText() + ")"), show.out());

        JsonNode restoredFull = json(cairn("restore", full.get("id").asText(), "volumes/db1-restored", "--json"));
        assertTrue(restoredFull.get("target_created").asBoolean());
        assertArrayEquals(first, Files.readAllBytes(conf.volumesDir("lab").resolve("volumes/db1-restored")));

        CliRun refused = cairn("restore", incremental.get("id").asText(), "volumes/db1-restored");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("into volumes/db1-restored on cluster lab failed: target volumes/db1-restored"
                + " holds data"), refused.err());
        assertArrayEquals(first, Files.readAllBytes(conf.volumesDir("lab").resolve("volumes/db1-restored")));

        json(cairn("restore", incremental.get("id").asText(), "volumes/db1-restored", "--force", "--json"));
        assertArrayEquals(second, Files.readAllBytes(conf.volumesDir("lab").resolve("volumes/db1-restored")));

        JsonNode deleted = json(cairn("delete", full.get("id").asText(), "--json"));
        assertEquals("deleted", deleted.get("status").asText());
        assertEquals(1, json(cairn("list", "--json")).size());
        assertEquals(2, json(cairn("list", "--all", "--json")).size());
        // The status is matched before paging: the newest deleted backup, though a newer one is available.
        JsonNode newestDeleted = json(cairn("list", "--status", "deleted", "--limit", "1", "--json"));
        assertEquals(1, newestDeleted.size(), newestDeleted.toString());
        assertEquals(full.get("id"), newestDeleted.get(0).get("id"));
        // A whole listing is written as it is read; a page is read whole first: the same text either way.
        for (List<String> listing : List.of(List.of("list", "--all"), List.of("list", "--all", "--json"),
                List.of("list", "--json"), List.of("list", "--status", "deleted"),
                List.of("list", "--status", "deleted", "--json"), List.of("list", "--volume", "volumes/none"),
                List.of("list", "--volume", "volumes/none", "--json"))) {
            List<String> paged = new java.util.ArrayList<>(listing);
            paged.addAll(List.of("--limit", "1000"));
            assertEquals(cairn(paged.toArray(String[]::new)).out(), cairn(listing.toArray(String[]::new)).out(),
                    String.join(" ", listing));
        }
        assertEquals("no backups\n", cairn("list", "--volume", "volumes/none").out());
        assertEquals("[ ]\n", cairn("list", "--volume", "volumes/none", "--json").out());
        CliRun again = cairn("delete", full.get("id").asText());
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.err().contains("was already deleted"), again.err());
    }

    @Test
    void humanOutputIsATableAndDetails() throws IOException {
        volume("volumes/db1", random(10_000, 3));
        CliRun backup = cairn("backup", "lab", "volumes/db1");
        assertEquals(0, backup.exitCode(), backup.toString());
        assertTrue(backup.out().contains("status:      available"), backup.out());
        assertTrue(backup.out().contains("why:         full backup: no available backup of volumes/db1 to diff from"));
        // Not a terminal: progress comes as plain lines with a rate.
        assertTrue(backup.err().matches("(?s).*backup of volumes/db1: 9\\.8 KiB of 9\\.8 KiB \\(100%\\), .*/s in .*"),
                backup.err());
        CliRun list = cairn("list");
        assertTrue(list.out().startsWith("ID "), list.out());
        assertTrue(list.out().contains("volumes/db1  full  available  9.8 KiB"), list.out());
    }

    @Test
    void fileSourcesAreBackedUpAndRestoredToFiles() throws IOException {
        byte[] content = random(20_000, 4);
        Path disk = Files.write(root.resolve("disk.img"), content);
        JsonNode backup = json(cairn("backup", "lab", "file:" + disk, "--json"));
        assertEquals("file:" + disk, backup.get("volume").asText());
        Path target = root.resolve("restored.img");
        json(cairn("restore", backup.get("id").asText(), "file:" + target, "--json"));
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    @Test
    void aBrokenChainStartsANewFullChainAndSaysWhy() throws IOException {
        volume("volumes/db1", random(8192, 5));
        JsonNode first = json(cairn("backup", "lab", "volumes/db1", "--json"));
        Files.delete(root.resolve("backups/lab/store").resolve(first.get("id").asText() + ".img"));

        CliRun second = cairn("backup", "lab", "volumes/db1", "--json");
        JsonNode backup = json(second);
        assertEquals("full", backup.get("kind").asText());
        assertTrue(backup.get("parent").isNull());
        assertEquals(backup.get("id"), backup.get("chain"));
        assertTrue(backup.get("reason").asText().startsWith("full backup, new chain: parent "
                + first.get("id").asText() + " cannot be diffed from: parent " + first.get("id").asText()
                + " is no longer stored"), backup.toString());
        assertTrue(second.err().contains("note: full backup, new chain"), second.err());
    }

    @Test
    void onlyTheNewestBackupSnapshotStaysOnTheSource() throws IOException {
        volume("volumes/db1", random(8192, 6));
        json(cairn("backup", "lab", "volumes/db1", "--json"));
        JsonNode second = json(cairn("backup", "lab", "volumes/db1", "--json"));
        try (var snapshots = Files.list(root.resolve("backups/lab/snapshots/volumes%2Fdb1"))) {
            assertEquals(java.util.List.of("backup." + second.get("id").asText()),
                    snapshots.map(p -> p.getFileName().toString().replaceAll("\\.snap\\..*", "")).toList());
        }
    }

    @Test
    void aFailedBackupIsRecordedAsErrorWithTheReason() throws IOException {
        conf.cluster("small", "plugin: dir\noptions:\n  volumes_dir: " + conf.volumesDir("lab") + "\n  backup_dir: "
                + root.resolve("backups/small") + "\n  quota: 1KiB\n");
        volume("volumes/db1", random(8192, 7));
        CliRun run = cairn("backup", "small", "volumes/db1", "--json");
        assertEquals(1, run.exitCode(), run.toString());
        JsonNode record = JSON.readTree(run.out());
        assertEquals("error", record.get("status").asText());
        assertTrue(record.get("error").asText().contains("exceeds the quota of 1024 bytes"), record.toString());
        assertTrue(run.err().contains("cairn: backup " + record.get("id").asText() + " of volumes/db1 on cluster small"
                + " failed: "), run.err());
        assertEquals("error", json(cairn("show", record.get("id").asText(), "--json")).get("status").asText());
    }

    @Test
    void errorsNameTheObjectAndExitCodesSayWhoseFault() throws IOException {
        CliRun noVolume = cairn("backup", "lab", "volumes/nope");
        assertEquals(1, noVolume.exitCode(), noVolume.toString());
        assertTrue(noVolume.err().contains("volume volumes/nope does not exist"), noVolume.err());

        CliRun noBackup = cairn("show", "0123456789");
        assertEquals(1, noBackup.exitCode());
        assertEquals("cairn: no backup or backup set '0123456789' in the catalog\n", noBackup.err());

        CliRun noCluster = cairn("backup", "prod", "volumes/db1");
        assertEquals(2, noCluster.exitCode());
        assertTrue(noCluster.err().contains("no cluster named 'prod' (configured: lab)"), noCluster.err());

        CliRun badUsage = cairn("backup", "lab");
        assertEquals(2, badUsage.exitCode());
        assertTrue(badUsage.err().contains("name a VOLUME to back up"), badUsage.err());

        CliRun badLabel = cairn("backup", "lab", "volumes/db1", "--label", "novalue");
        assertEquals(2, badLabel.exitCode(), badLabel.toString());

        assertEquals(2, cairn().exitCode());
        assertEquals(2, cairn("frobnicate").exitCode());
    }

    @Test
    void badClusterConfigurationExitsTwoNamingFileKeyAndReason() {
        conf.cluster("broken", "plugin: dir\noptions:\n  volumes_dir: " + root + "\n  backup_dir: b\n  block_size: huge\n");
        CliRun run = cairn("backup", "broken", "volumes/db1");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains(conf.dir().resolve("clusters/broken.yaml") + ": options.block_size: 'huge' is not a size"),
                run.err());

        conf.cluster("unknown", "plugin: zfs\n");
        CliRun unknown = cairn("backup", "unknown", "volumes/db1");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("clusters/unknown.yaml: plugin: no loaded plugin provides backend 'zfs'; loaded: dir"),
                unknown.err());
    }

    @Test
    void clustersShowsValidityAndReachabilityButNeverSecrets() throws IOException {
        conf.cluster("broken", "plugin: dir\noptions:\n  volumes_dir: v\n  access_key: [also-secret]\n");
        conf.cluster("gone", "plugin: dir\noptions:\n  volumes_dir: /nonexistent/volumes\n  backup_dir: b\n");
        CliRun run = cairn("clusters", "--json");
        assertEquals(2, run.exitCode(), run.toString());
        assertFalse(run.out().contains("s3cr3t-key") || run.err().contains("s3cr3t-key"), run.toString());
        assertFalse(run.out().contains("also-secret"), run.out());
        JsonNode clusters = JSON.readTree(run.out());
        assertEquals("broken", clusters.get(0).get("name").asText());
        assertFalse(clusters.get(0).get("valid").asBoolean());
        assertTrue(clusters.get(0).get("problems").toString().contains("options.backup_dir: required, but not set"));
        assertEquals("gone", clusters.get(1).get("name").asText());
        // The backend refused the values when opening the session: a configuration error, not unreachable.
        assertFalse(clusters.get(1).get("valid").asBoolean());
        assertTrue(clusters.get(1).get("reachable").isNull(), clusters.get(1).toString());
        assertTrue(clusters.get(1).get("problems").toString().contains(
                "options.volumes_dir: directory /nonexistent/volumes does not exist"), clusters.get(1).toString());
        assertEquals("lab", clusters.get(2).get("name").asText());
        assertTrue(clusters.get(2).get("reachable").asBoolean());
        assertEquals("[hidden]", clusters.get(2).get("options").get("access_key").asText());

        CliRun text = cairn("clusters");
        assertTrue(text.out().contains("access_key = [hidden]"), text.out());
        assertFalse(text.out().contains("s3cr3t-key"));
    }

    @Test
    void aConfigurationTheBackendRefusesWhenOpeningIsExitCodeTwo() {
        conf.cluster("gone", "plugin: dir\noptions:\n  volumes_dir: /nonexistent/volumes\n  backup_dir: b\n");
        CliRun run = cairn("clusters");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.out().contains("gone (dir): invalid configuration in " + conf.dir().resolve("clusters/gone.yaml")),
                run.out());
        assertTrue(run.out().contains("  options.volumes_dir: directory /nonexistent/volumes does not exist"), run.out());
        assertFalse(run.out().contains("UNREACHABLE"), run.out());
    }

    @Test
    void pluginsListsBackendsOptionsAndRefusedJars() throws IOException {
        PluginJars.corrupt(conf.pluginsDir(), "broken.jar");
        CliRun run = cairn("plugins", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode plugins = JSON.readTree(run.out());
        assertEquals("dir", plugins.get("plugins").get(0).get("id").asText());
        assertEquals("volumes_dir", plugins.get("plugins").get(0).get("options").get(0).get("name").asText());
        assertTrue(plugins.get("plugins").get(0).get("capabilities").get("incremental").asBoolean());
        assertEquals("[\"INCREMENTAL\",\"INDEPENDENT_RESTORE_POINTS\",\"FILE_SOURCES\"]",
                plugins.get("plugins").get(0).get("capability_set").toString());
        assertEquals("VOLUME or NAMESPACE/VOLUME", plugins.get("plugins").get(0).get("volume_names").asText());
        assertEquals(conf.pluginsDir().resolve("broken.jar").toString(), plugins.get("refused").get(0).get("file").asText());
        assertTrue(run.err().contains("skipped " + conf.pluginsDir().resolve("broken.jar") + ": is not a readable JAR"),
                run.err());

        CliRun text = cairn("plugins");
        assertTrue(text.out().contains("dir 1.0.0 - Files in a directory"), text.out());
        assertTrue(text.out().matches("(?s).*\\n  block_size +size \\(bytes\\) +4KiB .*"), text.out());
        assertTrue(text.out().contains("  capabilities: incremental, independent restore points, file sources\n"), text.out());
    }

    @Test
    void theConfDirectoryComesFromTheEnvironmentWhenNotGiven() {
        CliRun run = CliRun.withEnv(Map.of("CAIRN_CONF", conf.dir().toString()), "list");
        assertEquals(0, run.exitCode(), run.toString());
        CliRun missing = CliRun.withEnv(Map.of("CAIRN_CONF", root.resolve("nowhere").toString()), "list");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains(root.resolve("nowhere") + ": conf directory does not exist"), missing.err());
    }
}
