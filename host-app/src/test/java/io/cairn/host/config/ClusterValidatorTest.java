package io.cairn.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.host.plugins.BackendLoader;
import io.cairn.host.plugins.LoadedBackends;
import io.cairn.host.testing.PluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cluster files against the options a real (test) backend declares, loaded as a plugin. */
class ClusterValidatorTest {

    @TempDir
    static Path plugins;

    @TempDir
    Path conf;

    private static LoadedBackends backends;

    @BeforeAll
    static void loadDirectoryBackend() {
        PluginJars.directoryBackend(plugins);
        backends = BackendLoader.load(plugins);
    }

    @AfterAll
    static void unload() {
        backends.close();
    }

    private ConfiguredCluster validate(String yaml) throws IOException {
        Files.createDirectories(conf.resolve("clusters"));
        Files.writeString(conf.resolve("clusters/lab.yaml"), yaml);
        return ClusterValidator.validate(ConfDirectory.at(conf).cluster("lab"), backends, conf);
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceAnUnknownTopLevelKeyAmongThem() {
        ConfigurationException e = invalid("plugin: dir\npool: x\noptions:\n  backup_dir: b\n  block_siz: 8KiB\n");
        List<String> keys = e.problems().stream().map(ConfigurationProblem::key).toList();
        assertEquals(List.of("options.block_siz", "options.volumes_dir", "pool"), keys.stream().sorted().toList(),
                e.getMessage());
    }

    @Test
    void anUnknownTopLevelKeyIsReportedWithAnUnknownPlugin() {
        ConfigurationException e = invalid("plugin: nope\nsettings: {}\n");
        assertEquals(List.of("settings", "plugin"), e.problems().stream().map(ConfigurationProblem::key).toList(),
                e.getMessage());
    }

    private ConfigurationException invalid(String yaml) {
        return assertThrows(ConfigurationException.class, () -> validate(yaml));
    }

    @Test
    void validOptionsAreTypedWithDefaultsAndRelativePathsFromTheConfDirectory() throws IOException {
        ConfiguredCluster cluster = validate("plugin: dir\noptions:\n  volumes_dir: vols\n  backup_dir: /srv/backups\n"
                + "  quota: 2GiB\n");
        assertEquals("lab", cluster.name());
        assertEquals("dir", cluster.backend().backendId());
        assertEquals(conf.resolve("vols"), cluster.options().path("volumes_dir"));
        assertEquals(Path.of("/srv/backups"), cluster.options().path("backup_dir"));
        assertEquals(4096, cluster.options().size("block_size"));
        assertEquals(2L << 30, cluster.options().size("quota"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "'  volumes_dir: v\n  backup_dir: b\n  block_siz: 8KiB'   | options.block_siz   | unknown option (did you mean 'block_size'?)",
        "'  volumes_dir: v\n  backup_dir: b\n  block_size: lots'  | options.block_size  | 'lots' is not a size",
        "'  volumes_dir: v\n  backup_dir: b\n  block_size: 8KB'   | options.block_size  | write binary units",
        "'  volumes_dir: v\n  backup_dir: b\n  block_size: 100'   | options.block_size  | below the minimum 512B",
        "'  volumes_dir: v\n  backup_dir: b\n  quota: true'       | options.quota       | expected a size",
        "'  backup_dir: b'                                        | options.volumes_dir | required, but not set",
        "'  volumes_dir: v\n  backup_dir: [a]'                    | options.backup_dir  | expected a file path",
    })
    void eachBadOptionIsNamedWithFileKeyAndReason(String options, String key, String reason) {
        ConfigurationException e = invalid("plugin: dir\noptions:\n" + options.replace("\\n", "\n") + "\n");
        ConfigurationProblem problem = e.problems().get(0);
        assertEquals(conf.resolve("clusters/lab.yaml"), problem.file());
        assertEquals(key, problem.key());
        assertTrue(problem.reason().contains(reason), problem.reason());
    }

    @Test
    void anUnknownPluginSaysWhichAreLoaded() {
        ConfigurationException e = invalid("plugin: cepf\noptions: {}\n");
        ConfigurationProblem problem = e.problems().get(0);
        assertEquals("plugin", problem.key());
        assertTrue(problem.reason().contains("no loaded plugin provides backend 'cepf'; loaded: dir"), problem.reason());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigurationException e = invalid("plugin: dir\noptions:\n  block_size: lots\n  colour: blue\n");
        List<String> keys = e.problems().stream().map(ConfigurationProblem::key).toList();
        assertTrue(keys.containsAll(List.of("options.colour", "options.volumes_dir", "options.backup_dir",
                "options.block_size")), keys.toString());
    }

    @Test
    void aSecretsWrongValueIsNeverRepeated() {
        ConfigurationException e = invalid("plugin: dir\noptions:\n  volumes_dir: v\n  backup_dir: b\n"
                + "  access_key: [top-secret-value]\n");
        assertEquals("options.access_key", e.problems().get(0).key());
        assertFalse(e.getMessage().contains("top-secret-value"), e.getMessage());
    }

    @Test
    void displayedOptionsHideSecrets() throws IOException {
        ConfiguredCluster cluster = validate("plugin: dir\noptions:\n  volumes_dir: v\n  backup_dir: b\n"
                + "  access_key: top-secret-value\n");
        assertEquals("[hidden]", cluster.options().displayAll().get("access_key"));
        assertFalse(cluster.options().toString().contains("top-secret-value"));
    }
}
