package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.devtools.ceph.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster whose monitor does not answer (its ceph.conf names a closed loopback port) fails in
 * bounded time with exit code 1 and a message naming the cluster - it never hangs the CLI.
 */
class UnreachableClusterFailsInBoundedTimeTest {

    /** The Ceph plugin's default timeout is 30 s; allow for connecting, retries and a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(75);

    @TempDir
    Path root;

    @Test
    void backupAndClustersFailNamingTheCluster() throws IOException {
        TestCluster ceph = TestCluster.primary();
        TestConf conf = CephTestConf.lab(root, ceph);
        Path deadConf = root.resolve("dead-ceph.conf");
        Files.writeString(deadConf, Files.readString(ceph.conf())
                .replaceAll("(?m)^(\\s*mon[ _]host\\s*=).*$", "$1 v2:127.0.0.1:" + closedPort()));
        conf.cluster("dead", "plugin: ceph\noptions:\n  conf: " + deadConf + "\n  user: admin\n  pool: backups\n"
                + "  keyring: " + ceph.adminKeyring() + "\n");

        long started = System.nanoTime();
        CliRun backup = CliRun.of(conf, "backup", "dead", "volumes/anything");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(1, backup.exitCode(), backup.toString());
        assertTrue(backup.err().contains("dead"), backup.err());
        assertTrue(took.compareTo(BOUND) < 0, "took " + took);

        // The same through `clusters`, with the plugin's own timeout option shortened to prove it is honoured.
        conf.cluster("dead", "plugin: ceph\noptions:\n  conf: " + deadConf + "\n  user: admin\n  pool: backups\n"
                + "  keyring: " + ceph.adminKeyring() + "\n  timeout: 10s\n");
        started = System.nanoTime();
        CliRun clusters = CliRun.of(conf, "clusters");
        took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(1, clusters.exitCode(), clusters.toString());
        assertTrue(clusters.out().contains("dead (ceph): UNREACHABLE: "), clusters.out());
        assertTrue(clusters.out().contains("lab (ceph): ok"), clusters.out());
        assertTrue(took.compareTo(Duration.ofSeconds(40)) < 0, "took " + took);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
