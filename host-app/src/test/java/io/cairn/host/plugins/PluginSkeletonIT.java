package io.cairn.host.plugins;

import static io.cairn.host.testing.CliRun.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.api.ApiVersion;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way of a backend author, end to end: {@code mvn install} puts the plugin kit (plugin-parent,
 * plugin-api and plugin-tck at the API's version, with sources and javadoc) into a private local
 * repository; the skeleton project in {@code examples/skeleton-plugin}, copied elsewhere as an author
 * would start from it, builds against that repository alone - no network: everything else comes from
 * this build's own local repository through a {@code file:} mirror - and its build runs the contract
 * test kit; the JAR it makes drops into a host's {@code plugins/} and backs up and restores.
 */
class PluginSkeletonIT {

    @TempDir
    Path work;

    @Test
    void theSkeletonBuildsAgainstTheInstalledKitPassesItAndRunsInTheHost() throws Exception {
        Path checkout = TestCluster.projectRoot();
        Path privateRepo = work.resolve("repository");
        Path settings = settingsMirroringTheBuildsRepository();

        // 1. The kit, installed as `mvn install` installs it.
        run(checkout, "mvn", "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + privateRepo,
                "-pl", "plugin-parent,plugin-api,plugin-tck", "install", "-DskipTests", "-Djapicmp.skip");
        String version = ApiVersion.CURRENT;
        Path api = privateRepo.resolve("io/cairn/plugin-api/" + version);
        for (String file : List.of("plugin-api-" + version + ".jar", "plugin-api-" + version + "-sources.jar",
                "plugin-api-" + version + "-javadoc.jar", "plugin-api-" + version + ".pom")) {
            assertTrue(Files.isRegularFile(api.resolve(file)), "mvn install did not install " + file + " in " + api);
        }
        Path tck = privateRepo.resolve("io/cairn/plugin-tck/" + version);
        assertTrue(Files.isRegularFile(tck.resolve("plugin-tck-" + version + ".jar")), "plugin-tck " + version);
        assertTrue(Files.isRegularFile(tck.resolve("plugin-tck-" + version + "-sources.jar")), "plugin-tck sources");
        String installedPom = Files.readString(api.resolve("plugin-api-" + version + ".pom"));
        assertFalse(installedPom.contains("${revision}"), "the installed pom must name its version:\n" + installedPom);
        assertTrue(Files.isRegularFile(privateRepo.resolve("io/cairn/plugin-parent/" + version + "/plugin-parent-" + version
                + ".pom")), "plugin-parent " + version);

        // 2. The skeleton, where an author would have it, built against that repository.
        Path project = work.resolve("my-backend");
        copyTree(checkout.resolve("examples/skeleton-plugin"), project);
        String pom = Files.readString(project.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>plugin-parent</artifactId>\n    <version>" + version + "</version>"),
                "examples/skeleton-plugin/pom.xml must build against this API version, " + version);
        run(project, "mvn", "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + privateRepo, "verify");
        String report = Files.readString(project.resolve("target/surefire-reports/com.example.cairn.ExampleContractTest.txt"));
        assertTrue(report.contains("Failures: 0, Errors: 0, Skipped: 0"), report);
        assertFalse(report.contains("Tests run: 0,"), report);
        Path jar = project.resolve("target/example-cairn-plugin-1.0.0.jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals(">=" + version + " & <" + (ApiVersion.major() + 1) + ".0.0",
                    file.getManifest().getMainAttributes().getValue("Plugin-Requires"));
            assertNotNull(file.getEntry("META-INF/extensions.idx"), "PF4J's extension index");
            assertTrue(file.stream().noneMatch(e -> e.getName().startsWith("io/cairn/api/") || e.getName().startsWith("org/pf4j/")),
                    "the drop-in JAR must not bundle the API or PF4J, which the host provides");
        }

        // 3. Into a host's plugins/, and a backup and restore through the CLI.
        TestConf conf = TestConf.in(work.resolve("host"));
        Files.createDirectories(conf.pluginsDir());
        Files.copy(jar, conf.pluginsDir().resolve(jar.getFileName()));
        Path volumes = work.resolve("host/volumes");
        Files.createDirectories(volumes);
        byte[] disk = new byte[300_000];
        new Random(3).nextBytes(disk);
        Files.write(volumes.resolve("disk1.img"), disk);
        conf.cluster("lab", "plugin: example\noptions:\n  volumes_dir: " + volumes + "\n  backup_dir: " + work.resolve("host/backups")
                + "\n");
        JsonNode plugin = json(CliRun.of(conf, "plugins", "--json")).get("plugins").get(0);
        assertEquals("example", plugin.get("id").asText());
        JsonNode backup = json(CliRun.of(conf, "backup", "lab", "disk1.img", "--json"));
        assertEquals("full", backup.get("kind").asText());
        json(CliRun.of(conf, "restore", backup.get("id").asText(), "disk1-restored.img", "--json"));
        assertArrayEquals(disk, Files.readAllBytes(volumes.resolve("disk1-restored.img")));
    }

    /** A settings file whose one mirror is this build's local repository: no network, and no io.cairn artifacts. */
    private Path settingsMirroringTheBuildsRepository() throws IOException {
        String buildRepo = System.getProperty("cairn.build.repository");
        assertNotNull(buildRepo, "run by Maven (failsafe), which passes its local repository as cairn.build.repository");
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, "<settings>\n  <mirrors>\n    <mirror>\n      <id>this-build</id>\n"
                + "      <mirrorOf>*</mirrorOf>\n      <url>" + Path.of(buildRepo).toUri() + "</url>\n    </mirror>\n"
                + "  </mirrors>\n</settings>\n");
        return settings;
    }

    private static void run(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile("cairn-mvn", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(600, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 600 s\n" + Files.readString(log));
            }
            assertEquals(0, process.exitValue(), String.join(" ", command) + " in " + dir + " failed:\n" + Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.filter(p -> !from.relativize(p).startsWith("target")).forEach(files::add);
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            if (Files.isDirectory(file)) {
                Files.createDirectories(target);
            } else {
                Files.copy(file, target);
            }
        }
    }

}
