package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.error.UnreachableException;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that does not answer fails in bounded time with an error naming it; a missing conf file
 * or pool is a configuration error naming the option.
 */
class UnreachableClusterTest {

    @TempDir
    Path dir;

    @Test
    void silentMonitorsFailWithinTheTimeoutNamingTheCluster() throws IOException {
        TestCluster cluster = TestCluster.primary();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path conf = dir.resolve("ceph.conf");
        Files.writeString(conf, "[global]\nmon host = v2:127.0.0.1:" + closedPort + "\nkeyring = "
                + cluster.adminKeyring() + "\nauth client required = cephx\n");
        long started = System.nanoTime();
        UnreachableException e = assertThrows(UnreachableException.class, () -> CephSessions.open(cluster,
                Map.of("conf", conf.toString(), "timeout", "5s")).close());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(e.getMessage().contains("test-primary"), e.getMessage());
        assertTrue(seconds < 20, "failed after " + seconds + " s, not about 5 s");
    }

    @Test
    void missingConfFileIsAConfigurationError() {
        TestCluster cluster = TestCluster.primary();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> CephSessions
                .open(cluster, Map.of("conf", dir.resolve("absent.conf").toString())).close());
        assertTrue(e.getMessage().startsWith("conf:") && e.getMessage().contains("absent.conf"), e.getMessage());
    }

    @Test
    void missingBackupPoolIsAConfigurationError() {
        TestCluster cluster = TestCluster.primary();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> CephSessions.open(cluster, Map.of("pool", "no-such-pool")).close());
        assertTrue(e.getMessage().contains("no-such-pool"), e.getMessage());
    }

    @Test
    void wrongKeyIsAConfigurationErrorAndNeverPrintsTheKey() {
        TestCluster cluster = TestCluster.primary();
        String key = "AQBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxw==";
        Exception e = assertThrows(Exception.class, () -> CephSessions.open(cluster,
                Map.of("user", "nobody", "key", key, "timeout", "5s")).close());
        assertTrue(!e.getMessage().contains(key), e.getMessage());
    }
}
