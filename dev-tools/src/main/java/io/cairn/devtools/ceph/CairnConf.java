package io.cairn.devtools.ceph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a conf directory for {@code ./cairn} whose one cluster is a throwaway Ceph cluster: the
 * checkout's plugins, a catalog of its own, backups into pool {@code backups} as client.admin.
 */
public final class CairnConf {

    private CairnConf() {
    }

    /**
     * @param confDir     the directory to write ({@code cairn.yaml}, {@code clusters/NAME.yaml})
     * @param writtenBy   who wrote it, for the comment at the top of {@code cairn.yaml}
     * @param dataDir     where the catalog goes
     * @param cluster     the cluster's name in Cairn
     * @param cephConf    the cluster's ceph.conf
     * @param moreOptions further {@code cairn.yaml} lines, such as {@code stop_timeout: 20s}
     * @return {@code confDir}
     */
    public static Path write(Path confDir, String writtenBy, Path projectRoot, Path dataDir, String cluster, Path cephConf,
            String... moreOptions) {
        try {
            Files.createDirectories(confDir.resolve("clusters"));
            StringBuilder yaml = new StringBuilder("# Written by " + writtenBy + "; removed when it ends.\n")
                    .append("plugins_dir: ").append(projectRoot.resolve("plugins")).append('\n')
                    .append("data_dir: ").append(dataDir).append('\n');
            for (String option : moreOptions) {
                yaml.append(option).append('\n');
            }
            Files.writeString(confDir.resolve("cairn.yaml"), yaml);
            Files.writeString(confDir.resolve("clusters").resolve(cluster + ".yaml"), "plugin: ceph\noptions:\n"
                    + "  conf: " + cephConf + "\n  user: admin\n  pool: backups\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conf directory " + confDir + ": " + e.getMessage(), e);
        }
        return confDir;
    }
}
