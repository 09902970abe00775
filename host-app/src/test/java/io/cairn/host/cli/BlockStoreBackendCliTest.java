package io.cairn.host.cli;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped block store plugin, its JAR as the build dropped it into {@code plugins/}, through the CLI:
 * volumes named the backend's way ({@code vm1.img}, {@code images/*.img}), never as {@code file:} paths,
 * in commands and in schedules; a schedule entry the backend does not take is a configuration error.
 */
class BlockStoreBackendCliTest {

    @TempDir
    Path root;

    private TestConf conf;
    private Path volumes;

    @BeforeEach
    void setUp() throws IOException {
        conf = TestConf.in(root);
        Files.createDirectories(conf.pluginsDir());
        Path plugins = TestCluster.projectRoot().resolve("plugins");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(plugins, "blockstore-plugin-*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, conf.pluginsDir().resolve(jar.getFileName()));
            }
        }
        volumes = root.resolve("nas/images");
        Files.createDirectories(volumes.resolve("images"));
        conf.cluster("nas", "plugin: blockstore\noptions:\n  volumes_dir: " + volumes + "\n  store_dir: " + root.resolve("nas/store")
                + "\n  chunk_size: 64KiB\n");
    }

    private CliRun cairn(String... args) {
        return CliRun.of(conf, args);
    }

    private byte[] image(String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(volumes.resolve(name), data);
        return data;
    }

    @Test
    void isLoadedFromItsJarAndSaysHowItsVolumesAreNamed() throws IOException {
        JsonNode plugin = json(cairn("plugins", "--json")).get("plugins").get(0);
        assertEquals("blockstore", plugin.get("id").asText(), "plugins/ holds no block store plugin of this build");
        assertEquals("a path below volumes_dir, such as vm1.img or images/vm1.img", plugin.get("volume_names").asText());
        assertEquals("[\"INCREMENTAL\",\"INDEPENDENT_RESTORE_POINTS\",\"DIFFERENTIAL_RESTORE\",\"FILE_SOURCES\"]",
                plugin.get("capability_set").toString());
        JsonNode cluster = json(cairn("clusters", "--json")).get(0);
        assertTrue(cluster.get("reachable").asBoolean(), cluster.toString());
    }

    @Test
    void backsUpItsOwnVolumeNamesAndRestoresThemByteForByte() throws IOException {
        byte[] first = image("vm1.img", 1 << 20, 1);
        JsonNode full = json(cairn("backup", "nas", "vm1.img", "--json"));
        assertEquals("vm1.img", full.get("volume").asText());
        assertEquals("full", full.get("kind").asText());

        byte[] second = first.clone();
        System.arraycopy(new byte[4096], 0, second, 70_000, 4096);
        Files.write(volumes.resolve("vm1.img"), second);
        JsonNode incremental = json(cairn("backup", "nas", "vm1.img", "--json"));
        assertEquals("incremental", incremental.get("kind").asText());
        assertEquals(65536, incremental.get("bytes_written").asLong(), "one changed block of 64 KiB");

        json(cairn("restore", full.get("id").asText(), "restored/vm1-first.img", "--json"));
        json(cairn("restore", incremental.get("id").asText(), "restored/vm1-second.img", "--json"));
        assertArrayEquals(first, Files.readAllBytes(volumes.resolve("restored/vm1-first.img")));
        assertArrayEquals(second, Files.readAllBytes(volumes.resolve("restored/vm1-second.img")));

        CliRun refused = cairn("restore", full.get("id").asText(), "file:" + root.resolve("nas/store/backups/x.img"), "--force");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("is in the block store or among its snapshots"), refused.err());

        json(cairn("delete", full.get("id").asText(), "--json"));
        json(cairn("restore", incremental.get("id").asText(), "restored/vm1-again.img", "--json"));
        assertArrayEquals(second, Files.readAllBytes(volumes.resolve("restored/vm1-again.img")));
    }

    @Test
    void schedulesSelectItsVolumesByItsOwnNamesAndPatterns() throws IOException {
        image("vm1.img", 4096, 2);
        image("images/vm2.img", 4096, 3);
        image("images/vm3.img", 4096, 4);
        image("images/notes.txt", 10, 5);
        conf.write("schedules/nightly.yaml", "cluster: nas\nvolumes: [vm1.img, 'images/*.img']\ncron: \"0 30 2 * * ?\"\n");
        JsonNode schedule = json(cairn("schedules", "--json")).get(0);
        assertEquals("[\"vm1.img\",\"images/vm2.img\",\"images/vm3.img\"]", schedule.get("resolved_volumes").toString());
    }

    @Test
    void aScheduleEntryTheBackendDoesNotTakeIsAConfigurationError() {
        conf.write("schedules/odd.yaml", "cluster: nas\nvolumes: ['./*.img', '../etc/passwd', 'images/*.img']\n"
                + "cron: \"0 30 2 * * ?\"\n");
        CliRun run = cairn("schedules");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("odd.yaml: volumes[0]: './*.img' has a '.' part; write a path below volumes_dir"),
                run.err());
        assertTrue(run.err().contains("odd.yaml: volumes[1]: '../etc/passwd' has a '..' part"), run.err());
        assertTrue(!run.err().contains("volumes[2]"), run.err());
    }
}
