package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The limits as a scheduled backup meets them: a permit is either granted at once or waited for. Free
 * slots are observed that way, through {@link TransferLimits#acquire}, not through counters.
 */
class TransferLimitsTest {

    /** Takes a permit that must be free now. */
    private static TransferLimits.Permit acquireAtOnce(TransferLimits limits, String cluster) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> limits.acquire(cluster)).get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no free slot for cluster " + cluster, e);
        } finally {
            thread.shutdownNow();
        }
    }

    /** Checks that a permit for {@code cluster} is not free now; the waiting attempt is interrupted and holds nothing. */
    private static void assertWaits(TransferLimits limits, String cluster) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<TransferLimits.Permit> attempt = thread.submit(() -> limits.acquire(cluster));
            try {
                attempt.get(100, TimeUnit.MILLISECONDS).close();
                fail("a backup of cluster " + cluster + " got a slot beyond the limits");
            } catch (TimeoutException expected) {
                attempt.cancel(true);
            }
        } finally {
            thread.shutdownNow();
            assertTrue(thread.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFullClusterWaitsWhileAnotherClusterStillGetsGlobalSlots() throws Exception {
        TransferLimits limits = new TransferLimits(3, 2);
        TransferLimits.Permit a1 = limits.acquire("a");
        TransferLimits.Permit a2 = limits.acquire("a");
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<TransferLimits.Permit> a3 = waiter.submit(() -> limits.acquire("a"));
            Thread.sleep(100);
            assertTrue(!a3.isDone(), "a third backup of cluster a started beyond its limit of 2");
            // The waiting backup of cluster a holds no global slot: cluster b gets the last one.
            TransferLimits.Permit b1 = acquireAtOnce(limits, "b");
            assertWaits(limits, "c");
            a1.close();
            TransferLimits.Permit third = a3.get(5, TimeUnit.SECONDS);
            assertWaits(limits, "a");
            third.close();
            a2.close();
            b1.close();
            for (String cluster : List.of("a", "b", "c")) {
                acquireAtOnce(limits, cluster);
            }
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void closingTwiceFreesOnce() throws Exception {
        TransferLimits limits = new TransferLimits(1, 1);
        TransferLimits.Permit permit = limits.acquire("a");
        permit.close();
        permit.close();
        acquireAtOnce(limits, "a");
        assertWaits(limits, "b");
    }

    @Test
    void anInterruptedWaitHoldsNoSlot() throws Exception {
        TransferLimits limits = new TransferLimits(1, 1);
        TransferLimits.Permit held = limits.acquire("a");
        // Takes cluster b's only slot, then waits for the global one that "a" holds.
        Thread waiter = new Thread(() -> assertThrows(InterruptedException.class, () -> limits.acquire("b")));
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        waiter.join(5000);
        held.close();
        acquireAtOnce(limits, "b");
    }

    @ParameterizedTest(name = "global {0}, per cluster {1}, {2} clusters")
    @CsvSource({"1, 1, 1", "4, 2, 3", "4, 4, 1", "2, 3, 4", "8, 2, 5", "3, 1, 6"})
    void neverMoreThanEitherLimitUnderLoad(int global, int perCluster, int clusters) throws Exception {
        TransferLimits limits = new TransferLimits(global, perCluster);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Map<String, AtomicInteger> perClusterRunning = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perClusterPeak = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> tasks = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 60; i++) {
            String cluster = "c" + (i % clusters);
            tasks.add(pool.submit(() -> {
                start.await();
                try (TransferLimits.Permit permit = limits.acquire(cluster)) {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    int mine = perClusterRunning.computeIfAbsent(cluster, c -> new AtomicInteger()).incrementAndGet();
                    perClusterPeak.computeIfAbsent(cluster, c -> new AtomicInteger()).accumulateAndGet(mine, Math::max);
                    Thread.sleep(2);
                    perClusterRunning.get(cluster).decrementAndGet();
                    running.decrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> task : tasks) {
            try {
                task.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
        pool.shutdown();
        assertTrue(peak.get() <= global, "peak " + peak.get() + " > global " + global);
        perClusterPeak.forEach((cluster, p) -> assertTrue(p.get() <= perCluster, cluster + " peaked at " + p.get()));
        // Every slot is free again: as many backups as the global limit start at once, on fresh clusters.
        for (int i = 0; i < global; i++) {
            acquireAtOnce(limits, "after-" + i);
        }
        assertEquals(0, running.get());
    }

    @Test
    void limitsAreAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(1, 0));
    }
}
