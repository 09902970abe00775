package io.cairn.host.schedule;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many scheduled backups may run at once on this host: at most {@code global} in all, and at most
 * {@code perCluster} against any one cluster. A backup takes a {@link Permit} before it starts and
 * waits, in arrival order, while either limit is reached.
 *
 * <p>The cluster's slot is taken before the global one, so a backup waiting for a busy cluster never
 * holds a global slot that a backup of another cluster could use.
 */
public final class TransferLimits {

    private final int perCluster;
    private final Semaphore globalSlots;
    private final Map<String, Semaphore> clusterSlots = new ConcurrentHashMap<>();

    public TransferLimits(int global, int perCluster) {
        if (global < 1 || perCluster < 1) {
            throw new IllegalArgumentException("limits must be at least 1, not " + global + " and " + perCluster);
        }
        this.perCluster = perCluster;
        this.globalSlots = new Semaphore(global, true);
    }

    /**
     * Waits for a slot on {@code cluster} and a global one.
     *
     * @throws InterruptedException when interrupted while waiting; no slot is then held
     */
    public Permit acquire(String cluster) throws InterruptedException {
        Semaphore clusterSlot = clusterSlots.computeIfAbsent(cluster, name -> new Semaphore(perCluster, true));
        clusterSlot.acquire();
        try {
            globalSlots.acquire();
        } catch (InterruptedException e) {
            clusterSlot.release();
            throw e;
        }
        return new Permit(clusterSlot);
    }

    /** A held slot; closing it frees the slot (once, however often it is closed). */
    public final class Permit implements AutoCloseable {
        private final Semaphore clusterSlot;
        private boolean released;

        private Permit(Semaphore clusterSlot) {
            this.clusterSlot = clusterSlot;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                globalSlots.release();
                clusterSlot.release();
            }
        }
    }
}
