package io.cairn.host.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ApiVersion;
import io.cairn.host.config.ConfigurationProblem;
import io.cairn.host.testing.PluginJars;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real plugin JARs, built on the fly from the directory test backend. */
class BackendLoaderTest {

    @TempDir
    Path plugins;

    @Test
    void aGoodPluginLoadsWithItsDescriptor() {
        Path jar = PluginJars.directoryBackend(plugins);
        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertEquals(List.of(), backends.refusals());
            LoadedBackend backend = backends.find("dir").orElseThrow();
            assertEquals("dir", backend.pluginId());
            assertEquals("1.0.0", backend.pluginVersion());
            assertEquals(">=1.0.0 & <2.0.0", backend.requires());
            assertEquals(jar, backend.jar());
            assertTrue(backend.descriptor().options().find("volumes_dir").isPresent());
            // Loaded by the plugin's class loader, yet typed by the host's one copy of the API.
            assertTrue(backend.descriptor().getClass().getClassLoader() != BackendLoaderTest.class.getClassLoader());
        }
    }

    @Test
    void aCorruptJarIsReportedByFileNameAndTheOthersStillLoad() {
        Path corrupt = PluginJars.corrupt(plugins, "aaa-truncated-download.jar");
        PluginJars.directoryBackend(plugins);
        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertEquals(1, backends.all().size());
            ConfigurationProblem refusal = backends.refusals().get(0);
            assertEquals(corrupt, refusal.file());
            assertTrue(refusal.reason().startsWith("is not a readable JAR file"), refusal.reason());
            assertTrue(refusal.toString().startsWith(corrupt.toString() + ": "), refusal.toString());
        }
    }

    @Test
    void aPluginForAnotherMajorApiVersionIsRefusedSayingWhichVersionsMeet() {
        Path jar = PluginJars.directoryBackend(plugins, "dir-backend-2.0.0.jar", "dir", ">=2.0.0 & <3.0.0");
        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertEquals(List.of(), backends.all());
            ConfigurationProblem refusal = backends.refusals().get(0);
            assertEquals(jar, refusal.file());
            assertTrue(refusal.reason().contains("plugin 'dir' was built for plugin API '>=2.0.0 & <3.0.0', but this host"
                    + " provides plugin API " + ApiVersion.CURRENT), refusal.reason());
            assertTrue(refusal.reason().contains("Versions that meet: plugins whose Plugin-Requires admits " + ApiVersion.CURRENT),
                    refusal.reason());
            assertTrue(backends.explainMissing("dir").contains(jar.toString()), backends.explainMissing("dir"));
        }
    }

    @Test
    void aPluginThatDeclaresNoApiVersionIsRefused() {
        PluginJars.directoryBackend(plugins, "dir.jar", "dir", null);
        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertTrue(backends.refusals().get(0).reason().contains("declares no Plugin-Requires"),
                    backends.refusals().get(0).reason());
        }
    }

    @Test
    void twoPluginsProvidingOneBackendIdKeepTheFirst() {
        Path first = PluginJars.directoryBackend(plugins, "a.jar", "dir-a", ">=1.0.0 & <2.0.0");
        Path second = PluginJars.directoryBackend(plugins, "b.jar", "dir-b", ">=1.0.0 & <2.0.0");
        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertEquals(first, backends.find("dir").orElseThrow().jar());
            assertEquals(second, backends.refusals().get(0).file());
            assertTrue(backends.refusals().get(0).reason().contains("which " + first + " already provides"));
        }
    }

    @Test
    void aMissingPluginsDirectoryHoldsNoPlugins() {
        try (LoadedBackends backends = BackendLoader.load(plugins.resolve("absent"))) {
            assertEquals(List.of(), backends.all());
            assertTrue(backends.explainMissing("ceph").contains("no plugin loaded from " + plugins.resolve("absent")));
        }
    }
}
