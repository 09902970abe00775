package io.cairn.host.testing;

import io.cairn.ceph.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A conf directory whose cluster {@code lab} is the real test Ceph cluster, with the Ceph plugin the
 * build put in the top-level {@code plugins/} directory.
 */
public final class CephTestConf {

    private CephTestConf() {
    }

    public static TestConf lab(Path root, TestCluster cluster) {
        Path plugins = TestCluster.projectRoot().resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            throw new IllegalStateException(plugins + " does not exist: package ceph-plugin first (mvn verify does)");
        }
        TestConf conf = TestConf.in(root);
        conf.write("cairn.yaml", "plugins_dir: " + plugins + "\ndata_dir: " + root.resolve("data") + "\n"
                + TestConf.FREE_PORT);
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + cluster.conf() + "\n  user: admin\n  pool: backups\n");
        return conf;
    }
}
