package io.cairn.ceph.copy;

/**
 * The IO buffers the copies of one cluster session share. A copy holds at most {@code parallel_ios} buffers (one
 * object each) - and, while more copies than {@link #COPIES_AT_FULL_DEPTH} run at once in the session, an equal
 * part of {@code COPIES_AT_FULL_DEPTH x parallel_ios}, at least {@link #SMALLEST_PART}.
 *
 * <p>Why: a copy's memory is its IOs in flight - its direct buffers, and as much again in librados while the
 * writes are sent. {@code cairn serve} running four backups of one cluster at once held four times one backup's
 * (348-418 MiB at {@code parallel_ios} 8, 590 MiB at 16), and on one OSD the extra IOs only queued. So one or two
 * copies at once - the host's default of backups per cluster - run as deep as before, and more share that depth:
 * the session's memory no longer grows with how many run.
 *
 * <p>A copy that started when fewer ran keeps the buffers it has; it takes no new ones beyond its part.
 */
public final class IoShare {

    /** Copies that each get their whole {@code parallel_ios}. */
    public static final int COPIES_AT_FULL_DEPTH = 2;
    /** The fewest buffers a copy is left: one being read while another is written. */
    public static final int SMALLEST_PART = 2;

    private final int parallelIos;
    private int copies;

    /** @param parallelIos the buffers one copy may hold, {@code parallel_ios} */
    public IoShare(int parallelIos) {
        if (parallelIos <= 0) {
            throw new IllegalArgumentException("parallelIos must be positive");
        }
        this.parallelIos = parallelIos;
    }

    /**
     * Counts an operation that will copy - a transfer or a restore - from its start, not from its copy's: backups a
     * firing starts together then all count before the first of them allocates its buffers.
     *
     * @return closed when the operation ends
     */
    public synchronized Member join() {
        copies++;
        return this::leave;
    }

    private synchronized void leave() {
        copies--;
    }

    /** One operation counted in the share, until it is closed. */
    @FunctionalInterface
    public interface Member extends AutoCloseable {
        @Override
        void close();
    }

    /** The buffers each running copy may hold now. */
    synchronized int part() {
        if (copies <= COPIES_AT_FULL_DEPTH) {
            return parallelIos;
        }
        return Math.min(parallelIos, Math.max(SMALLEST_PART, COPIES_AT_FULL_DEPTH * parallelIos / copies));
    }

    /** Copies running now. */
    synchronized int copies() {
        return copies;
    }
}
