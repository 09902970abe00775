package io.cairn.ceph.rbd;

import io.cairn.api.error.BackendException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog over every call into librados and librbd made through one cluster client: each wait
 * ends within the cluster's {@code timeout}.
 *
 * <p>Why a watchdog: librados bounds single operations ({@code rados_osd_op_timeout},
 * {@code rados_mon_op_timeout}, {@code client_mount_timeout}), but librbd does not bound itself. With
 * an OSD stopped (SIGSTOP) on Ceph 16.2.15 and {@code rados_osd_op_timeout = 5}, librbd's writes fail
 * with ETIMEDOUT after 5 s, its watch fails after 10 s, and then it waits to re-establish the watch and
 * the exclusive lock, re-queueing IO, until the OSD comes back: {@code rbd bench} ended only 124 s
 * later, when the OSD was resumed. {@code rbd_aio_wait_for_complete}, {@code rbd_flush} and
 * {@code rbd_close} have no deadline at all.
 *
 * <p>How: a synchronous call runs on a daemon thread of this client, and its caller waits at most
 * {@code timeout} since the call's last sign of progress (a progress or diff callback). An asynchronous
 * IO is registered here from submission to completion and awaited with the same deadline. What overruns
 * is <em>given up, not stopped</em> - native code cannot be stopped safely: the call keeps its thread
 * and everything it references (buffers, out-parameters, callbacks) until librbd returns, so no memory
 * librbd may still write into is ever freed; a result that arrives late goes to a cleanup (an image
 * opened too late is closed).
 *
 * <p>While work is overdue the client is <em>stalled</em>: new calls fail at once instead of queueing
 * behind it, closing an image waits in the background until the stall is over, and the client is shut
 * down only when nothing runs and no image is open. A client the cluster blocklisted (a call answered
 * ESHUTDOWN) is <em>fenced</em>: every later call fails too, so its owner replaces it.
 */
public final class NativeCalls {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCalls.class);
    /** Between two probes of a cluster that stalled an rbd child. */
    private static final long PROBE_PAUSE_MILLIS = 1000;

    /** A call's way of saying it is still moving (a progress callback fired). */
    public interface Progress {
        void tick();
    }

    /** A native call; it may report progress, which pushes its deadline back. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Progress progress);
    }

    private final String cluster;
    private final long timeoutNanos;
    private final ExecutorService threads;
    private final Set<Work> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openHandles = new AtomicInteger();
    /** Guarded by {@code this}. */
    private final Deque<Runnable> whenUnstalled = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private final Deque<Runnable> whenIdle = new ArrayDeque<>();
    private volatile boolean fenced;
    private volatile boolean retired;
    private volatile BooleanSupplier probe;
    private final AtomicBoolean probing = new AtomicBoolean();

    /**
     * @param cluster what to call the cluster in messages ({@code cluster 'prod'})
     * @param timeout the longest wait for any call without progress
     */
    public NativeCalls(String cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeoutNanos = timeout.toNanos();
        AtomicInteger count = new AtomicInteger();
        // A cached pool: a call that never returns keeps its thread, the others get new ones.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "ceph-call-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public String cluster() {
        return cluster;
    }

    /** Runs a call whose late result needs no cleanup. */
    public <T> T call(String what, Call<T> call) {
        return call(what, call, null);
    }

    /** Runs a call that returns a librbd/librados return code, and checks it. */
    public long check(String what, Call<? extends Number> call) {
        return NativeCallException.check(what, call(what, call).longValue());
    }

    /**
     * Runs a native call, waiting at most {@code timeout} since its start or its last progress.
     *
     * @param what   what the call does, for messages ({@code open backups/vol.backup.x})
     * @param ifLate receives the result when it arrives after the caller gave up (null: nothing to do)
     * @throws ClusterStalledException when the call overran (it goes on in the background), or the client
     *         is stalled by an earlier call
     */
    public <T> T call(String what, Call<T> call, Consumer<? super T> ifLate) {
        failIfStalled(what);
        Work work = begin(what);
        Outcome<T> outcome = new Outcome<>();
        try {
            threads.execute(() -> runInBackground(work, call, outcome, ifLate));
        } catch (RuntimeException e) {
            end(work);
            throw e;
        }
        return outcome.await(work, this);
    }

    private <T> void runInBackground(Work work, Call<T> call, Outcome<T> outcome, Consumer<? super T> ifLate) {
        T value = null;
        RuntimeException failure = null;
        try {
            value = call.run(work);
            if (value instanceof Number number) {
                noteResult(number.longValue());
            }
        } catch (NativeCallException e) {
            noteResult(-e.errno());
            failure = e;
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException(e);
        }
        try {
            if (outcome.complete(value, failure) && ifLate != null && value != null) {
                ifLate.accept(value);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cleaning up after {}, which ended after it was given up, failed: {}", cluster, work.what,
                    e.getMessage());
        } finally {
            end(work);
        }
    }

    /**
     * Registers work that runs outside {@link #call} (an asynchronous IO): it counts as outstanding, and
     * makes the client stalled if it is not {@link #end ended} within the timeout.
     */
    Work begin(String what) {
        Work work = new Work(what, timeoutNanos);
        outstanding.add(work);
        return work;
    }

    /** Ends work registered with {@link #begin}; runs what waited for the stall or for idleness to end. */
    void end(Work work) {
        outstanding.remove(work);
        runWhatWaited();
    }

    /**
     * Notes a return code: ESHUTDOWN means the cluster blocklisted this client; ETIMEDOUT that librados
     * gave up on an operation, so the client counts as stalled until the cluster answers again.
     */
    public void noteResult(long returnCode) {
        if (returnCode == -Errno.ESHUTDOWN) {
            fenced = true;
        } else if (returnCode == -Errno.ETIMEDOUT) {
            stalledUntilAnswering("an operation librados gave up on (ETIMEDOUT)");
        }
    }

    /** Whether the cluster blocklisted this client: every later call fails, it must be replaced. */
    public boolean fenced() {
        return fenced;
    }

    /** Whether some work has overrun its timeout and is still running. */
    boolean stalled() {
        return oldestOverdue().isPresent();
    }

    /** Whether some work has been overdue for longer than {@code duration}. */
    public boolean stalledLongerThan(Duration duration) {
        long now = System.nanoTime();
        return oldestOverdue().map(work -> work.overdueNanos(now) > duration.toNanos()).orElse(false);
    }

    /**
     * Gives up on work that overran: the client counts as stalled until the cluster answers again (so
     * what follows the failure fails at once, even if the given-up call ends right after), and here is
     * the exception to throw, naming the cluster and what was waited for.
     */
    ClusterStalledException gaveUpOn(String what) {
        stalledUntilAnswering(what);
        return new ClusterStalledException(cluster + " did not answer within " + seconds(timeoutNanos)
                + ": gave up waiting for " + what + " (an OSD or monitor is stopped, overloaded or unreachable)");
    }

    /**
     * Fails at once while the client is stalled, naming what is stuck.
     *
     * @throws ClusterStalledException when some work has overrun its timeout and is still running
     */
    void failIfStalled(String what) {
        Optional<Work> stuck = oldestOverdue();
        if (stuck.isPresent()) {
            long waiting = System.nanoTime() - stuck.get().started;
            throw new ClusterStalledException(cluster + " is not answering: " + stuck.get().what
                    + " has been waiting for " + seconds(waiting) + ", so " + what + " was not tried");
        }
    }

    private Optional<Work> oldestOverdue() {
        long now = System.nanoTime();
        return outstanding.stream().filter(work -> work.overdueNanos(now) > 0)
                .max(Comparator.comparingLong(work -> work.overdueNanos(now)));
    }

    /**
     * Marks the client stalled on behalf of work outside it - an {@code rbd} child process that made no
     * progress - so that its calls fail fast, as after a call of its own overran. The stall ends when
     * {@code answers}, asked again and again in the background, finds the cluster answering (or when the
     * client is retired).
     *
     * @param answers one bounded probe of the cluster (librados's own op timeout bounds it)
     */
    public void stalledElsewhere(String what, BooleanSupplier answers) {
        stalledUntil(what, answers, () -> { });
    }

    private void stalledUntil(String what, BooleanSupplier answers, Runnable whenOver) {
        Work work = new Work(what, 0);
        outstanding.add(work);
        Thread prober = new Thread(() -> {
            try {
                while (!retired) {
                    if (answers.getAsBoolean()) {
                        return;
                    }
                    Thread.sleep(PROBE_PAUSE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("{}: probing whether it answers again failed: {}", cluster, e.getMessage());
            } finally {
                whenOver.run();
                end(work);
            }
        }, "ceph-probe");
        prober.setDaemon(true);
        prober.start();
    }

    /**
     * How to ask whether the cluster answers again after a stall: one bounded OSD operation (librados's
     * own op timeout bounds it). Set once, by the client, when it has a pool to ask in.
     */
    public void probeWith(BooleanSupplier answers) {
        if (probe == null) {
            probe = answers;
        }
    }

    private void stalledUntilAnswering(String what) {
        BooleanSupplier answers = probe;
        if (answers != null && probing.compareAndSet(false, true)) {
            stalledUntil(what, answers, () -> probing.set(false));
        }
    }

    /** The client is being shut down: stop probing, so that it can become idle. */
    public void retire() {
        retired = true;
    }

    /** An image was opened through this client. */
    void handleOpened() {
        openHandles.incrementAndGet();
    }

    /** An image opened through this client was closed. */
    void handleClosed() {
        openHandles.decrementAndGet();
        runWhatWaited();
    }

    /**
     * Runs a release (closing an image) now, bounded - or, while the client is stalled, later in the
     * background once it no longer is: closing waits for the image's IO, which would only wait again.
     *
     * @throws NativeCallException when it ran now and failed
     */
    void release(String what, Runnable release) {
        synchronized (this) {
            if (stalled()) {
                LOG.info("{} is not answering; {} will happen once it does", cluster, what);
                whenUnstalled.add(() -> runDetached(what, release));
                return;
            }
        }
        try {
            call(what, progress -> {
                release.run();
                return Boolean.TRUE;
            });
        } catch (ClusterStalledException e) {
            // Given up: it finishes in the background, and the client is stalled until it does.
        }
    }

    /**
     * Runs {@code action} on a thread of its own once no work is outstanding and no image is open: the
     * moment a client can be shut down without freeing anything librbd still uses.
     */
    public void whenIdle(Runnable action) {
        synchronized (this) {
            whenIdle.add(action);
        }
        runWhatWaited();
    }

    private void runDetached(String what, Runnable action) {
        Work work = begin(what);
        try {
            threads.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: {} failed: {}", cluster, what, e.getMessage());
                } finally {
                    end(work);
                }
            });
        } catch (RuntimeException e) {
            end(work);
            LOG.warn("{}: {} could not start: {}", cluster, what, e.getMessage());
        }
    }

    /** {@code 5 s}, {@code 2.5 s}, {@code 42 s}. */
    public static String seconds(long nanos) {
        double seconds = nanos / 1e9;
        boolean whole = nanos % 1_000_000_000L == 0;
        return whole || seconds >= 10 ? Math.round(seconds) + " s" : String.format("%.1f s", seconds);
    }

    /** Runs what waited for the stall to end, or for the client to become idle. */
    private void runWhatWaited() {
        Deque<Runnable> ready = new ArrayDeque<>();
        Runnable idleAction = null;
        synchronized (this) {
            if (!whenUnstalled.isEmpty() && !stalled()) {
                ready.addAll(whenUnstalled);
                whenUnstalled.clear();
            }
            if (ready.isEmpty() && whenUnstalled.isEmpty() && outstanding.isEmpty() && openHandles.get() == 0) {
                idleAction = whenIdle.poll();
            }
        }
        ready.forEach(Runnable::run);
        if (idleAction != null) {
            Thread thread = new Thread(idleAction, "ceph-idle");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** One piece of outstanding work: a call in progress, or an asynchronous IO in flight. */
    static final class Work implements Progress {
        final String what;
        final long started;
        private final long timeoutNanos;
        private volatile long lastProgress;

        Work(String what, long timeoutNanos) {
            this.what = what;
            this.timeoutNanos = timeoutNanos;
            this.started = System.nanoTime();
            this.lastProgress = started;
        }

        @Override
        public void tick() {
            lastProgress = System.nanoTime();
        }

        /** How long past its deadline the work is at {@code now}; zero or less when it is not. */
        long overdueNanos(long now) {
            return now - lastProgress - timeoutNanos;
        }

        /** Nanoseconds left until the deadline. */
        long remainingNanos() {
            return -overdueNanos(System.nanoTime());
        }
    }

    /** The result of a call, handed from its thread to its caller exactly once. */
    private static final class Outcome<T> {
        private T value;
        private RuntimeException failure;
        private boolean done;
        private boolean givenUp;

        /** @return true when the caller had given up, so the value is the callee's to clean up */
        synchronized boolean complete(T value, RuntimeException failure) {
            this.value = value;
            this.failure = failure;
            this.done = true;
            notifyAll();
            return givenUp;
        }

        synchronized T await(Work work, NativeCalls calls) {
            try {
                while (!done) {
                    long remaining = work.remainingNanos();
                    if (remaining <= 0) {
                        givenUp = true;
                        throw calls.gaveUpOn(work.what);
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
            } catch (InterruptedException e) {
                givenUp = true;
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while waiting for " + work.what + " on " + calls.cluster, e);
            }
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }
}
