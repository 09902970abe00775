package io.cairn.host.plugins;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.api.ApiVersion;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built against plugin API 1.0 keeps loading and working in this host: the JAR in
 * {@code src/test/resources/legacy-plugins} was compiled against the 1.0 API and never rebuilt
 * ({@code src/test/legacy-plugins/make-dir10-plugin} is its recipe). It implements the 1.0 interfaces
 * only - capabilities as the 1.0 record, the 1.0 snapshot verbs, no journal, no snapshot identity - and
 * goes through loading, backups (full and incremental), restores checked byte for byte, a schedule's
 * pattern and deletes, all through the CLI.
 */
class LegacyPluginTest {

    @TempDir
    Path root;

    private TestConf conf;
    private Path volumes;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root);
        volumes = root.resolve("volumes");
        Files.createDirectories(volumes.resolve("volumes"));
        conf.cluster("old", "plugin: dir10\noptions:\n  volumes_dir: " + volumes + "\n  backup_dir: " + root.resolve("backups")
                + "\n");
        Files.createDirectories(conf.pluginsDir());
        try (InputStream jar = getClass().getResourceAsStream("/legacy-plugins/dir10-plugin-1.0.0.jar")) {
            Files.copy(jar, conf.pluginsDir().resolve("dir10-plugin-1.0.0.jar"));
        }
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    @Test
    void isLoadedWithItsOnePointZeroCapabilitiesSeenAsASet() throws IOException {
        CliRun plugins = cairn("plugins", "--json");
        JsonNode plugin = json(plugins).get("plugins").get(0);
        assertEquals("dir10", plugin.get("id").asText());
        assertEquals(">=1.0.0 & <2.0.0", plugin.get("requires").asText());
        assertEquals("[\"INCREMENTAL\",\"INDEPENDENT_RESTORE_POINTS\",\"FILE_SOURCES\"]", plugin.get("capability_set").toString());
        assertTrue(ApiVersion.CURRENT.startsWith("1.") && !ApiVersion.CURRENT.equals("1.0.0"),
                "this test is about a later 1.x host than the plugin's 1.0: " + ApiVersion.CURRENT);
    }

    @Test
    void backsUpRestoresByteForByteAndDeletes() throws IOException {
        byte[] first = new byte[256 * 1024];
        new Random(10).nextBytes(first);
        Path db1 = volumes.resolve("volumes/db1");
        Files.write(db1, first);
        JsonNode full = json(cairn("backup", "old", "volumes/db1", "--json"));
        assertEquals("full", full.get("kind").asText());

        byte[] second = first.clone();
        byte[] change = new byte[8192];
        new Random(11).nextBytes(change);
        System.arraycopy(change, 0, second, 65536, change.length);
        Files.write(db1, second);
        JsonNode incremental = json(cairn("backup", "old", "volumes/db1", "--json"));
        assertEquals("incremental", incremental.get("kind").asText());
        assertEquals(full.get("id").asText(), incremental.get("parent").asText());

        json(cairn("restore", full.get("id").asText(), "volumes/first", "--json"));
        json(cairn("restore", incremental.get("id").asText(), "volumes/second", "--json"));
        assertArrayEquals(first, Files.readAllBytes(volumes.resolve("volumes/first")));
        assertArrayEquals(second, Files.readAllBytes(volumes.resolve("volumes/second")));

        assertEquals("deleted", json(cairn("delete", full.get("id").asText(), "--json")).get("status").asText());
        json(cairn("restore", incremental.get("id").asText(), "volumes/again", "--json"));
        assertArrayEquals(second, Files.readAllBytes(volumes.resolve("volumes/again")));
        assertEquals("deleted", json(cairn("delete", incremental.get("id").asText(), "--json")).get("status").asText());
        assertEquals(0, json(cairn("list", "--json")).size());
    }

    @Test
    void itsListingResolvesSchedulePatterns() throws IOException {
        for (String name : new String[] {"db1", "db2", "web1"}) {
            Files.write(volumes.resolve("volumes").resolve(name), new byte[4096]);
        }
        conf.write("schedules/nightly.yaml", "cluster: old\nvolumes: ['volumes/db*']\ncron: \"0 30 2 * * ?\"\n");
        JsonNode schedules = json(cairn("schedules", "--json"));
        assertEquals("[\"volumes/db1\",\"volumes/db2\"]", schedules.get(0).get("resolved_volumes").toString());
    }
}
