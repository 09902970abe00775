package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransferLimitsTest {

    @Test
    void aFullClusterWaitsWhileAnotherClusterStillGetsGlobalSlots() throws Exception {
        TransferLimits limits = new TransferLimits(3, 2);
        TransferLimits.Permit a1 = limits.acquire("a");
        TransferLimits.Permit a2 = limits.acquire("a");
        assertEquals(2, limits.running("a"));
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<TransferLimits.Permit> a3 = waiter.submit(() -> limits.acquire("a"));
            Thread.sleep(100);
            assertTrue(!a3.isDone(), "a third backup of cluster a started beyond its limit of 2");
            // The waiting backup of cluster a holds no global slot: cluster b gets the last one.
            TransferLimits.Permit b1 = limits.acquire("b");
            assertEquals(3, limits.running());
            a1.close();
            TransferLimits.Permit third = a3.get(5, TimeUnit.SECONDS);
            assertEquals(2, limits.running("a"));
            third.close();
            a2.close();
            b1.close();
            assertEquals(0, limits.running());
        } finally {
            waiter.shutdownNow();
        }
    }

    @Test
    void closingTwiceFreesOnce() throws InterruptedException {
        TransferLimits limits = new TransferLimits(1, 1);
        TransferLimits.Permit permit = limits.acquire("a");
        permit.close();
        permit.close();
        assertEquals(0, limits.running());
        limits.acquire("a");
        assertEquals(1, limits.running());
    }

    @Test
    void anInterruptedWaitHoldsNoSlot() throws Exception {
        TransferLimits limits = new TransferLimits(1, 5);
        TransferLimits.Permit held = limits.acquire("a");
        Thread waiter = new Thread(() -> assertThrows(InterruptedException.class, () -> limits.acquire("b")));
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        waiter.join(5000);
        held.close();
        assertEquals(0, limits.running());
        assertEquals(0, limits.running("b"));
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
            task.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(peak.get() <= global, "peak " + peak.get() + " > global " + global);
        perClusterPeak.forEach((cluster, p) -> assertTrue(p.get() <= perCluster, cluster + " peaked at " + p.get()));
        assertEquals(0, limits.running());
    }

    @Test
    void limitsAreAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(1, 0));
    }
}
