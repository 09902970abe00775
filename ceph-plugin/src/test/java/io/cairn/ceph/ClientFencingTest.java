package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.ClientFencing;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.TestCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Ceph session's {@link ClientFencing}: its identity names the cluster and the client address, and
 * fencing another client blocklists it on the cluster, so that its IO is refused and its watches go at
 * once (what the host does before it cleans up after a dead or frozen process). A session never fences
 * itself.
 */
class ClientFencingTest {

    private static final Pattern WATCHER = Pattern.compile("watcher=(\\S+) client\\.");

    private final TestCluster cluster = TestCluster.primary();

    private String fsid() {
        TestCluster.Result result = TestCluster.run(List.of("ceph", "--conf", cluster.conf().toString(), "fsid"), 60);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout().strip();
    }

    @Test
    void aFencedSessionCanNoLongerWorkAndTheFencingOneCan() {
        String image = "volumes/fence-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.rbd("create", image, "--size", "8M");
        try (BackendSession victim = CephSessions.open(cluster); BackendSession fencer = CephSessions.open(cluster)) {
            String identity = victim.fencing().orElseThrow().clientIdentity();
            assertTrue(identity.matches(Pattern.quote(fsid()) + "=\\S+/\\d+"), identity);
            // The victim works until it is fenced.
            victim.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(image)));

            ClientFencing fencing = fencer.fencing().orElseThrow();
            assertEquals("", fencing.fence(fencing.clientIdentity(), Duration.ofMinutes(5)), "a session fenced itself");
            String done = fencing.fence(identity, Duration.ofMinutes(5));
            assertEquals("blocklisted " + identity.substring(identity.indexOf('=') + 1) + " on cluster " + fsid()
                    + " for 300 s", done);
            TestCluster.Result listed = TestCluster.run(List.of("ceph", "--conf", cluster.conf().toString(), "osd",
                    "blocklist", "ls"), 60);
            assertTrue((listed.stdout() + listed.stderr()).contains(identity.substring(identity.indexOf('=') + 1)),
                    listed.toString());

            assertThrows(BackendException.class, () -> victim.snapshots().create(new SnapshotRequest(BackupId.random(),
                    new VolumeRef(image))), "a fenced client still took a snapshot");
            fencer.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(image)));
        }
    }

    @Test
    void aFencedClientsWatchGoesAtOnce() throws Exception {
        String image = "volumes/watch-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.rbd("create", image, "--size", "64M");
        // Another process holds the image open for writing, as a backup killed mid-transfer left it.
        Process writer = new ProcessBuilder("rbd", "--conf", cluster.conf().toString(), "bench", "--io-type", "write",
                "--io-size", "4K", "--io-threads", "1", "--io-total", "100G", "--io-pattern", "rand", image)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BackendSession fencer = CephSessions.open(cluster)) {
            String watcher = awaitWatcher(image);
            long started = System.nanoTime();
            fencer.fencing().orElseThrow().fence(fsid() + "=" + watcher, Duration.ofMinutes(5));
            while (WATCHER.matcher(status(image)).find()) {
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10),
                        "the fenced client's watch stayed for 10 s: " + status(image));
                Thread.sleep(100);
            }
        } finally {
            writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private String awaitWatcher(String image) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = WATCHER.matcher(status(image));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rbd bench never opened " + image + ": " + status(image));
    }

    private String status(String image) {
        TestCluster.Result result = cluster.tryRbd("status", image);
        return result.stdout() + result.stderr();
    }
}
