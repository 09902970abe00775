package io.cairn.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A conf directory for tests: {@code cairn.yaml} pointing at a plugins directory and a data directory
 * inside {@code root}, plus cluster files written as YAML text.
 */
public final class TestConf {

    /** The {@code cairn.yaml} line that lets a test's {@code serve} take a free port. */
    public static final String FREE_PORT = "http_listen: 127.0.0.1:0\n";

    private final Path root;
    private final Path conf;

    private TestConf(Path root) {
        this.root = root;
        this.conf = root.resolve("conf");
    }

    /**
     * {@code root/conf} with {@code plugins_dir: ../plugins} and {@code data_dir: ../data}; a {@code serve}
     * listens on a free loopback port ({@code http_listen: 127.0.0.1:0}), never on the default one, which
     * another test or a real serve on this machine may hold.
     */
    public static TestConf in(Path root) {
        TestConf testConf = new TestConf(root);
        testConf.write("cairn.yaml", "plugins_dir: ../plugins\ndata_dir: ../data\n" + FREE_PORT);
        return testConf;
    }

    public Path dir() {
        return conf;
    }

    public Path pluginsDir() {
        return root.resolve("plugins");
    }

    public Path root() {
        return root;
    }

    /** Writes {@code conf/clusters/<name>.yaml}. */
    public TestConf cluster(String name, String yaml) {
        return write("clusters/" + name + ".yaml", yaml);
    }

    /**
     * A directory-backend cluster with volumes in {@code root/volumes/<name>} and backups in
     * {@code root/backups/<name>}.
     */
    public TestConf directoryCluster(String name) {
        try {
            Files.createDirectories(volumesDir(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cluster(name, "plugin: dir\noptions:\n  volumes_dir: " + volumesDir(name) + "\n  backup_dir: "
                + root.resolve("backups").resolve(name) + "\n  access_key: s3cr3t-key\n");
    }

    public Path volumesDir(String cluster) {
        return root.resolve("volumes").resolve(cluster);
    }

    /** Writes a file under the conf directory. */
    public TestConf write(String relativePath, String text) {
        Path file = conf.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
