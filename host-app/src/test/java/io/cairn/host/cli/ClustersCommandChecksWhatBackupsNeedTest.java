package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn clusters} checks what backups need, on a real cluster with real cephx users: a user
 * without OSD caps is reported - exit 1, naming the cluster, the pools (the backup pool, and the pool
 * its schedule backs up) and what is missing - instead of "ok"; a wrong key says "authentication
 * failed" (a configuration error, exit 2); every problem of a cluster file is listed at once, an
 * unknown top-level key among them.
 */
class ClustersCommandChecksWhatBackupsNeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final TestCluster ceph = TestCluster.primary();

    @Test
    void aUserWithoutOsdCapsIsReportedWithWhatIsMissing() throws Exception {
        String user = "nocaps" + UUID.randomUUID().toString().substring(0, 6);
        Path keyring = ceph.addUser(user);
        ceph.ceph("auth", "caps", "client." + user, "mon", "profile rbd");
        TestConf conf = CephTestConf.lab(root, ceph);
        conf.cluster("weak", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: " + user + "\n  keyring: "
                + keyring + "\n  pool: backups\n");
        conf.write("schedules/nightly.yaml", "cluster: weak\nvolumes: [volumes/db1]\ncron: \"0 0 2 * * ?\"\n");

        CliRun clusters = CliRun.of(conf, "clusters");
        assertEquals(1, clusters.exitCode(), clusters.toString());
        String out = clusters.out();
        assertTrue(out.contains("lab (ceph): ok, "), out);
        assertTrue(out.contains("weak (ceph): ACCESS MISSING, "), out);
        assertTrue(out.contains("  missing: user client." + user + " may not read the images of backup pool backups"
                + " on cluster 'weak'"), out);
        assertTrue(out.contains("  missing: user client." + user + " may not read the images of volume pool volumes"
                + " on cluster 'weak'"), out);

        JsonNode weak = cluster(JSON.readTree(CliRun.of(conf, "clusters", "--json").out()), "weak");
        assertTrue(weak.get("reachable").asBoolean(), weak.toString());
        assertEquals(2, weak.get("access_missing").size(), weak.toString());
    }

    @Test
    void aWrongKeySaysAuthenticationFailed() throws Exception {
        String user = "keyed" + UUID.randomUUID().toString().substring(0, 6);
        ceph.addUser(user);
        TestConf conf = CephTestConf.lab(root, ceph);
        String wrongKey = "AQBJ8ilpAAAAABAAl2HWIq6Bn5XJ0cmxuUUoFA==";
        // The conf names every user's keyring ($name); point it nowhere, so the key can come only from key:.
        Path conf0 = root.resolve("ceph.conf");
        Files.writeString(conf0, Files.readString(ceph.conf()).replaceAll("(?m)^keyring = .*$",
                "keyring = " + root.resolve("no-such.keyring")));
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + conf0 + "\n  user: " + user + "\n  key: " + wrongKey
                + "\n  timeout: 10s\n");

        // The key is configuration: a wrong one is a configuration error (exit 2) naming the option.
        CliRun clusters = CliRun.of(conf, "clusters");
        assertEquals(2, clusters.exitCode(), clusters.toString());
        assertTrue(clusters.out().contains("lab (ceph): invalid configuration in "), clusters.out());
        assertTrue(clusters.out().contains("  options.key: authentication failed (wrong key or user?)"),
                clusters.out());
        assertFalse(clusters.out().contains("EINVAL"), clusters.out());
        assertFalse(clusters.out().contains(wrongKey), clusters.out());
    }

    @Test
    void everyProblemOfAClusterFileIsListedAtOnce() {
        TestConf conf = CephTestConf.lab(root, ceph);
        conf.cluster("bad", "plugin: ceph\npool: backups\noptions:\n  poool: backups\n  parallel_ios: many\n");

        CliRun clusters = CliRun.of(conf, "clusters", "--offline");
        assertEquals(2, clusters.exitCode(), clusters.toString());
        String out = clusters.out();
        assertTrue(out.contains("bad (ceph): invalid configuration in "), out);
        assertTrue(out.contains("  pool: unknown key; a cluster file has 'plugin'"), out);
        assertTrue(out.contains("  options.poool: unknown option (did you mean 'pool'?)"), out);
        assertTrue(out.contains("  options.parallel_ios: "), out);
    }

    private static JsonNode cluster(JsonNode clusters, String name) {
        for (JsonNode cluster : clusters) {
            if (cluster.get("name").asText().equals(name)) {
                return cluster;
            }
        }
        throw new AssertionError("no cluster " + name + " in " + clusters);
    }
}
