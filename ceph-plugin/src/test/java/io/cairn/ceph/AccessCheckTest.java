package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code checkAccess} says what a user may not do that backups need - with real cephx users whose caps
 * lack OSD access, access to a pool, or write access to the volumes - and nothing for a user who may;
 * a wrong key says "authentication failed", not a bare errno. The probe objects it writes are gone
 * afterwards.
 */
class AccessCheckTest {

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.primary();
    }

    @Test
    void aUserWithRbdCapsLacksNothing() {
        Path keyring = user("full", null);
        try (BackendSession session = open("full", keyring)) {
            assertEquals(List.of(), session.checkAccess(Set.of("volumes")));
        }
        assertTrue(probeObjects().isEmpty(), "probe objects left: " + probeObjects());
    }

    @Test
    void aUserWithoutOsdCapsIsToldWhatIsMissingOnBothSides() {
        Path keyring = user("nocaps", new String[] {"mon", "profile rbd"});
        try (BackendSession session = open("nocaps", keyring)) {
            List<String> missing = session.checkAccess(Set.of("volumes"));
            missing.forEach(line -> System.err.println("[access] " + line));
            assertEquals(2, missing.size(), missing.toString());
            assertTrue(missing.get(0).startsWith("user client.nocaps"), missing.toString());
            assertTrue(missing.get(0).contains("backup pool backups on cluster 'test-primary'"), missing.toString());
            assertTrue(missing.get(1).contains("volume pool volumes on cluster 'test-primary'"), missing.toString());
            assertTrue(missing.get(0).contains("Operation not permitted"), missing.toString());
        }
    }

    @Test
    void aUserWhoMayOnlyReadTheVolumesCannotSnapshotThem() {
        Path keyring = user("reader", new String[] {"mon", "profile rbd", "osd",
                "profile rbd pool=backups, profile rbd-read-only pool=volumes"});
        try (BackendSession session = open("reader", keyring)) {
            List<String> missing = session.checkAccess(Set.of("volumes"));
            assertEquals(1, missing.size(), missing.toString());
            assertTrue(missing.get(0).contains("may not create snapshots in volume pool volumes"), missing.toString());
        }
    }

    @Test
    void aMissingSourcePoolIsNamed() {
        try (BackendSession session = CephSessions.open(cluster)) {
            assertEquals(List.of("volume pool nope does not exist on cluster 'test-primary'"),
                    session.checkAccess(Set.of("nope")));
        }
    }

    @Test
    void aWrongKeySaysAuthenticationFailed() {
        user("keyed", null);
        String wrong = "AQBJ8ilpAAAAABAAl2HWIq6Bn5XJ0cmxuUUoFA==";
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> CephSessions.open(cluster, Map.of("user", "keyed", "key", wrong, "timeout", "10s")).close());
        System.err.println("[access] " + e.getMessage());
        assertTrue(e.getMessage().contains("authentication failed (wrong key or user?)"), e.getMessage());
        assertTrue(e.getMessage().startsWith("key:"), "names the option: " + e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }

    @Test
    void anUnknownUserSaysAuthenticationFailed() throws IOException {
        Path keyring = Files.createTempFile("cairn-test-", ".keyring");
        try {
            Files.writeString(keyring, "[client.ghost]\n\tkey = AQBJ8ilpAAAAABAAl2HWIq6Bn5XJ0cmxuUUoFA==\n");
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> CephSessions.open(cluster, Map.of("user", "ghost", "keyring", keyring.toString(),
                            "timeout", "10s")).close());
            assertTrue(e.getMessage().contains("authentication failed (wrong key or user?)"), e.getMessage());
        } finally {
            Files.delete(keyring);
        }
    }

    /** A cephx user made by {@code ceph-dev-cluster add-user}, its caps then replaced when given. */
    private static Path user(String prefix, String[] caps) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 6);
        Path keyring = cluster.addUser(name);
        if (caps != null) {
            String[] args = new String[caps.length + 3];
            args[0] = "auth";
            args[1] = "caps";
            args[2] = "client." + name;
            System.arraycopy(caps, 0, args, 3, caps.length);
            cluster.ceph(args);
        }
        return keyring;
    }

    private static BackendSession open(String prefix, Path keyring) {
        String user = keyring.getFileName().toString().replaceAll("^ceph\\.client\\.|\\.keyring$", "");
        assertTrue(user.startsWith(prefix), user);
        return CephSessions.open(cluster, Map.of("user", user, "keyring", keyring.toString(), "timeout", "10s"));
    }

    private static List<String> probeObjects() {
        TestCluster.Result result = TestCluster.run(List.of("rados", "--conf", cluster.conf().toString(), "-p",
                "backups", "ls"), 60);
        return result.stdout().lines().filter(line -> line.startsWith("cairn.access-probe")).toList();
    }
}
