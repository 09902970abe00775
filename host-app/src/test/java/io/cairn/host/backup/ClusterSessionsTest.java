package io.cairn.host.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.error.UnreachableException;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.plugins.LoadedBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Sessions opened ahead of their first use: opened once, on another thread, and what the attempt came to -
 * session or failure - is what the first use gets; a session nobody asked for is still closed with the others.
 */
class ClusterSessionsTest {

    @Test
    void aSessionOpenedAheadIsTheOneTheFirstUseGetsAndItIsOpenedOnce() throws Exception {
        GatedBackend backend = new GatedBackend(false);
        ConfiguredCluster cluster = backend.cluster("lab");
        try (ClusterSessions sessions = new ClusterSessions()) {
            sessions.openAhead(cluster);
            assertTrue(backend.opening.await(30, TimeUnit.SECONDS), "the session was not opened ahead");
            assertEquals("cairn-connect-lab", backend.openedOn.get());

            // The first use waits for the attempt under way instead of connecting again.
            CompletableFuture<BackendSession> firstUse = CompletableFuture.supplyAsync(() -> sessions.session(cluster));
            Thread.sleep(200);
            assertFalse(firstUse.isDone(), "the first use did not wait for the session being opened ahead");
            backend.release.countDown();
            BackendSession session = firstUse.get(30, TimeUnit.SECONDS);

            assertSame(session, sessions.session(cluster));
            sessions.openAhead(cluster); // already open: nothing to do
            assertSame(session, sessions.session(cluster));
            assertEquals(1, backend.opens.get());
        }
        assertEquals(1, backend.closes.get());
    }

    @Test
    void theFailureOfAnAttemptAheadIsReportedOnceAndALaterUseTriesAgain() {
        GatedBackend backend = new GatedBackend(true);
        backend.release.countDown();
        ConfiguredCluster cluster = backend.cluster("dead");
        try (ClusterSessions sessions = new ClusterSessions()) {
            sessions.openAhead(cluster);
            UnreachableException failed = assertThrows(UnreachableException.class, () -> sessions.session(cluster));
            assertEquals("cluster dead does not answer (attempt 1)", failed.getMessage());
            assertEquals(1, backend.opens.get(), "the attempt ahead failed, and its failure was not the one reported");

            failed = assertThrows(UnreachableException.class, () -> sessions.session(cluster));
            assertEquals("cluster dead does not answer (attempt 2)", failed.getMessage());
        }
    }

    @Test
    void aSessionOpenedAheadButNeverUsedIsClosedWithTheOthers() throws Exception {
        GatedBackend backend = new GatedBackend(false);
        ClusterSessions sessions = new ClusterSessions();
        sessions.openAhead(backend.cluster("lab"));
        assertTrue(backend.opening.await(30, TimeUnit.SECONDS));

        // The command failed before it asked for the session: closing waits for the attempt, then closes it.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(sessions::close);
        Thread.sleep(200);
        assertFalse(closing.isDone(), "close did not wait for the session being opened ahead");
        backend.release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        assertEquals(1, backend.opens.get());
        assertEquals(1, backend.closes.get());
    }

    /** A backend whose sessions open only when released, counted; or that never reaches its cluster. */
    private static final class GatedBackend implements BackendDescriptor {

        final CountDownLatch opening = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<String> openedOn = new AtomicReference<>();
        private final boolean unreachable;

        GatedBackend(boolean unreachable) {
            this.unreachable = unreachable;
        }

        ConfiguredCluster cluster(String name) {
            return new ConfiguredCluster(name, Path.of("conf/clusters/" + name + ".yaml"),
                    new LoadedBackend("gated", "1.0.0", "*", Path.of("plugins/gated.jar"), this),
                    options().validate(Map.of()));
        }

        @Override
        public String id() {
            return "gated";
        }

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public String description() {
            return "opens when released (test)";
        }

        @Override
        public OptionDefinitions options() {
            return OptionDefinitions.of();
        }

        @Override
        public BackendSession open(String clusterName, OptionValues options) {
            int attempt = opens.incrementAndGet();
            openedOn.set(Thread.currentThread().getName());
            opening.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (unreachable) {
                throw new UnreachableException("cluster " + clusterName + " does not answer (attempt " + attempt + ")");
            }
            return new BackendSession() {
                @Override
                public SnapshotOperation snapshots() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public TransferOperation transfers() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public RestoreOperation restores() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public DeleteOperation deletions() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public String describe() {
                    return "gated session of " + clusterName;
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
        }
    }
}
