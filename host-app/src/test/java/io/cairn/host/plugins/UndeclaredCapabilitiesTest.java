package io.cairn.host.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Since plugin API 1.1 a backend declares its capabilities in {@code capabilitySet()} or, as 1.0 did, in
 * {@code capabilities()}; each default derives one from the other, so a backend that implements neither
 * would fail on first use. The loader refuses it at load, saying what to implement. The plugin is
 * compiled here from source, against this host's API, and packaged as a PF4J plugin JAR.
 */
class UndeclaredCapabilitiesTest {

    private static final String SOURCE = """
            package undeclared;

            import io.cairn.api.BackendDescriptor;
            import io.cairn.api.BackendSession;
            import io.cairn.api.option.OptionDefinitions;
            import io.cairn.api.option.OptionValues;

            public final class Backend implements BackendDescriptor {
                public String id() { return "undeclared"; }
                public String version() { return "1"; }
                public String description() { return "declares no capabilities"; }
                public OptionDefinitions options() { return OptionDefinitions.of(); }
                public BackendSession open(String clusterName, OptionValues options) { throw new UnsupportedOperationException(); }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aBackendDeclaringNoCapabilitiesIsRefusedAtLoad() throws Exception {
        Path source = work.resolve("src/undeclared/Backend.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, SOURCE);
        Path classes = work.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-proc:none", "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, rc, "the test plugin did not compile");

        Path plugins = work.resolve("plugins");
        Files.createDirectories(plugins);
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", "undeclared");
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Requires", ">=1.1.0 & <2.0.0");
        try (OutputStream file = Files.newOutputStream(plugins.resolve("undeclared-1.0.0.jar"));
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new JarEntry("undeclared/Backend.class"));
            Files.copy(classes.resolve("undeclared/Backend.class"), jar);
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            jar.write("undeclared.Backend\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        try (LoadedBackends backends = BackendLoader.load(plugins)) {
            assertEquals(List.of(), backends.all());
            String reason = backends.refusals().get(0).reason();
            assertTrue(reason.contains("backend 'undeclared' declares no capabilities: implement capabilitySet() (plugin API 1.1)"
                    + " or capabilities() (1.0)"), reason);
        }
    }
}
