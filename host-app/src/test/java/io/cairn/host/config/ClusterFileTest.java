package io.cairn.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterFileTest {

    @TempDir
    Path conf;

    @BeforeEach
    void cairnYaml() throws IOException {
        Files.writeString(conf.resolve("cairn.yaml"), "");
        Files.createDirectories(conf.resolve("clusters"));
    }

    private ConfDirectory withCluster(String name, String yaml) throws IOException {
        Files.writeString(conf.resolve("clusters").resolve(name + ".yaml"), yaml);
        return ConfDirectory.at(conf);
    }

    @Test
    void readsPluginAndOptionsAsYamlTypedThem() throws IOException {
        ClusterFile file = withCluster("lab", "plugin: ceph\noptions:\n  pool: backups\n  parallel_ios: 8\n  keyring:\n")
                .cluster("lab");
        assertEquals("lab", file.name());
        assertEquals("ceph", file.plugin());
        assertEquals("backups", file.options().get("pool"));
        assertEquals(8, file.options().get("parallel_ios"));
        assertTrue(file.options().containsKey("keyring"));
    }

    @Test
    void clusterNamesAreTheYamlFilesSorted() throws IOException {
        withCluster("b", "plugin: x\n");
        withCluster("a", "plugin: x\n");
        Files.writeString(conf.resolve("clusters/README.md"), "not a cluster");
        assertEquals(List.of("a", "b"), ConfDirectory.at(conf).clusterNames());
    }

    @Test
    void schedulesDirectoryIsListedButNotInterpreted() throws IOException {
        Files.createDirectories(conf.resolve("schedules"));
        Files.writeString(conf.resolve("schedules/nightly.yaml"), "anything: [goes, here]\n");
        assertEquals(List.of("nightly"), ConfDirectory.at(conf).scheduleNames());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'options:\n  pool: x'              | plugin  | required, but not set",
        "'plugin: [ceph]'                   | plugin  | expected a plugin id",
        "'plugin: ceph\noptions: [a, b]'    | options | expected a mapping",
        "'pool: backups\noptions: [a, b]'   | pool    | unknown key; a cluster file has 'plugin'",
    })
    void malformedClusterFilesNameFileKeyAndReason(String yaml, String key, String reason) throws IOException {
        ConfDirectory dir = withCluster("lab", yaml.replace("\\n", "\n"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> dir.cluster("lab"));
        ConfigurationProblem problem = e.problems().get(0);
        assertEquals(conf.resolve("clusters/lab.yaml"), problem.file());
        assertEquals(key, problem.key());
        assertTrue(problem.reason().contains(reason), problem.reason());
    }

    @Test
    void aFileNameThatCannotNameAClusterIsAProblemOfTheFile() throws IOException {
        ClusterFile file = withCluster("Lab One", "plugin: ceph\n").cluster("Lab One");
        assertEquals(1, file.problems().size(), file.problems().toString());
        assertTrue(file.problems().get(0).reason().contains("the file name must be lowercase"), file.problems().toString());
    }

    @Test
    void anUnknownTopLevelKeyLeavesPluginAndOptionsReadableForTheirOwnChecks() throws IOException {
        ClusterFile file = withCluster("lab", "plugin: ceph\npool: backups\noptions:\n  poool: x\n").cluster("lab");
        assertEquals("ceph", file.plugin());
        assertEquals(Map.of("poool", "x"), file.options());
        assertEquals(1, file.problems().size(), file.problems().toString());
        assertEquals("pool", file.problems().get(0).key());
        assertTrue(file.problems().get(0).reason().contains("unknown key; a cluster file has 'plugin'"),
                file.problems().toString());
    }

    @Test
    void anUnknownClusterListsTheConfiguredOnes() throws IOException {
        ConfDirectory dir = withCluster("lab", "plugin: ceph\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> dir.cluster("prod"));
        assertTrue(e.getMessage().endsWith("no cluster named 'prod' (configured: lab)"), e.getMessage());
    }

    @Test
    void aClusterNameCannotReachOutsideTheClustersDirectory() throws IOException {
        Files.writeString(conf.resolve("secret.yaml"), "plugin: ceph\n");
        ConfDirectory dir = ConfDirectory.at(conf);
        assertThrows(ConfigurationException.class, () -> dir.cluster("../secret"));
    }

    @Test
    void anEmptyOptionsMappingIsEmpty() throws IOException {
        assertEquals(Map.of(), withCluster("lab", "plugin: ceph\n").cluster("lab").options());
    }
}
