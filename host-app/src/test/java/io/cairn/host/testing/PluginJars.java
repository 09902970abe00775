package io.cairn.host.testing;

import io.cairn.host.testbackend.DirectoryBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds PF4J plugin JARs on the fly from the compiled test backend ({@code io.cairn.host.testbackend}),
 * laid out as the Ceph plugin's shaded JAR is: manifest entries and an extensions index.
 */
public final class PluginJars {

    private static final String PACKAGE_DIR = "io/cairn/host/testbackend/";

    private PluginJars() {
    }

    /** The directory backend as plugin {@code pluginId}, declaring {@code requires}. */
    public static Path directoryBackend(Path dir, String fileName, String pluginId, String requires) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Provider", "Cairn tests");
        if (requires != null) {
            main.putValue("Plugin-Requires", requires);
        }
        Path jar = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                Path classes = testClasses();
                for (Path file : backendClasses(classes)) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                out.write((DirectoryBackend.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    /** The directory backend as a well-formed plugin for this host's API. */
    public static Path directoryBackend(Path dir) {
        return directoryBackend(dir, "dir-backend-1.0.0.jar", "dir", ">=1.0.0 & <2.0.0");
    }

    /** A file named like a JAR that is not one (a truncated download). */
    public static Path corrupt(Path dir, String fileName) {
        Path jar = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OutputStream out = Files.newOutputStream(jar)) {
            out.write(new byte[] {'P', 'K', 3, 4, 0, 0, 'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private static Path testClasses() {
        try {
            return Path.of(DirectoryBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> backendClasses(Path classes) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes.resolve(PACKAGE_DIR))) {
            walk.filter(p -> p.toString().endsWith(".class")).sorted().forEach(files::add);
        }
        return files;
    }
}
