package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command.Result;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cairn} as an operator runs it: a separate JVM started by the launcher script from the top
 * of the checkout, loading the real Ceph plugin from {@code plugins/}.
 */
class LauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private static Result cairn(String... args) {
        List<String> command = new ArrayList<>(List.of(TestCluster.projectRoot().resolve("cairn").toString()));
        command.addAll(List.of(args));
        return TestCluster.run(command, 600);
    }

    @Test
    void pluginsListsTheShippedPluginsWithTheirDeclaredOptions() throws IOException {
        TestConf conf = TestConf.in(root);
        conf.write("cairn.yaml", "plugins_dir: " + TestCluster.projectRoot().resolve("plugins") + "\n");
        Result result = cairn("--conf", conf.dir().toString(), "plugins", "--json");
        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode plugins = JSON.readTree(result.stdout()).get("plugins");
        List<String> ids = new ArrayList<>();
        plugins.forEach(plugin -> ids.add(plugin.get("id").asText()));
        assertEquals(List.of("blockstore", "ceph"), ids, "plugins/ holds both shipped backends, in file-name order");
        JsonNode ceph = plugins.get(1);
        List<String> options = new ArrayList<>();
        ceph.get("options").forEach(option -> options.add(option.get("name").asText()));
        assertTrue(options.containsAll(List.of("conf", "user", "keyring", "pool", "source_conf", "source_user",
                "source_keyring", "chunk_size", "stripe_unit", "stripe_count", "image_journals",
                "restore_discard_excess_bytes", "transfer", "parallel_ios")), options.toString());
    }

    @Test
    void exitCodesAreZeroOneAndTwo() {
        TestConf conf = TestConf.in(root);
        assertEquals(0, cairn("--conf", conf.dir().toString(), "list").exitCode());
        Result unknownBackup = cairn("--conf", conf.dir().toString(), "show", "deadbeef");
        assertEquals(1, unknownBackup.exitCode());
        assertEquals("cairn: no backup or backup set 'deadbeef' in the catalog\n", unknownBackup.stderr());
        assertEquals(2, cairn("--conf", conf.dir().toString(), "restore").exitCode());
        assertEquals(2, cairn("--conf", root.resolve("missing").toString(), "list").exitCode());
    }

    @Test
    void theProductJarHoldsNoDemoAndNoWarmUpCommand() throws IOException {
        Path jar = TestCluster.projectRoot().resolve("host-app/target/cairn-host.jar");
        try (JarFile entries = new JarFile(jar.toFile())) {
            List<String> demo = entries.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class"))
                    .filter(name -> name.contains("/demo/") || name.contains("Demo") || name.contains("WarmUp")).toList();
            assertTrue(demo.isEmpty(), "demo code in " + jar + ": " + demo);
        }
        assertEquals(2, cairn("warm-up").exitCode());
        Result help = cairn("--help");
        assertFalse(help.stdout().contains("demo"), help.stdout());
    }

    @Test
    void theDemoRunsFromTheDevToolsJar() {
        Result help = cairn("demo", "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: cairn demo"), help.stdout());
        assertEquals(2, cairn("demo", "--no-such-option").exitCode());
    }

    @Test
    void theLauncherRecordsAClassDataSharingArchiveFromRealCommands() {
        Path archive = TestCluster.projectRoot().resolve("host-app/target/cairn-host.jsa");
        Path jar = TestCluster.projectRoot().resolve("host-app/target/cairn-host.jar");
        assertEquals(0, cairn("--version").exitCode());
        assertTrue(Files.exists(archive) && archive.toFile().lastModified() >= jar.toFile().lastModified(),
                "no archive " + archive + " recorded after the JAR was built");
    }

    @Test
    void versionNamesThePluginApi() {
        Result result = cairn("--version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("plugin API 1."), result.stdout());
    }
}
