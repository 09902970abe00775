package io.cairn.ceph.digest;

import io.cairn.ceph.copy.PendingIo;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that hash chunks while the reading thread keeps IOs in flight: one per core, for one
 * operation (a backup or a verify), stopped when it ends.
 */
public final class Hashers implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;
    private final int threads;

    public Hashers(int threads) {
        this.threads = Math.max(1, threads);
        int number = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.threads, task -> {
            Thread t = new Thread(task, "cairn-hash-" + number + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** As many as the machine has cores. */
    public static Hashers perCore() {
        return new Hashers(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code work} on a hashing thread; the returned IO ends when it has. */
    public PendingIo submit(Runnable work) {
        Future<?> future = pool.submit(work);
        return new PendingIo() {
            @Override
            public void await() {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for hashing", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("hashing failed: " + e.getCause(), e.getCause());
                }
            }

            @Override
            public boolean isDone() {
                return future.isDone();
            }
        };
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
