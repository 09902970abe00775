package io.cairn.ceph.rbd;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.cairn.api.error.BackendException;
import io.cairn.ceph.copy.PendingIo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * An asynchronous librbd IO, from submission to completion, awaited with a deadline.
 *
 * <p>librbd calls back when the IO ends (on one of its own threads); the callback reads the result
 * and releases the completion, as QEMU's RBD driver does. Until then the IO is registered - with the
 * buffer librbd reads from or writes into - both here and as outstanding work of the client's
 * {@link NativeCalls}. So a caller that stops waiting (the deadline passed, or the copy failed
 * elsewhere) never lets that buffer be freed or reused while librbd may still touch it, and the client
 * knows it is stalled while the IO is overdue.
 */
final class AioCompletion implements PendingIo {

    /** IOs in flight by id: what keeps their buffers reachable until librbd is done with them. */
    private static final Map<Long, AioCompletion> IN_FLIGHT = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    /** One callback for every IO; it must stay reachable for as long as librbd may call it. */
    private static final LibRbd.CompletionCallback ON_COMPLETE = AioCompletion::completed;

    static {
        // Keep librbd's completion threads attached to the JVM (as daemons) instead of attaching and
        // detaching them at every IO.
        Native.setCallbackThreadInitializer(ON_COMPLETE, new CallbackThreadInitializer(true, false, "librbd-aio"));
    }

    private final long id;
    private final String description;
    private final NativeCalls calls;
    /** Never read: held so that the buffer stays reachable (and unfreed) while librbd may use it. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object buffer;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Pointer completion;
    private NativeCalls.Work work;
    private volatile long result;
    private boolean awaited;

    private AioCompletion(String description, NativeCalls calls, Object buffer) {
        this.id = IDS.incrementAndGet();
        this.description = description;
        this.calls = calls;
        this.buffer = buffer;
    }

    /**
     * Submits an IO: creates its completion, registers it, and calls {@code submit} with the completion.
     *
     * @param buffer the memory librbd reads or writes, kept reachable until the IO has ended (null for none)
     * @param submit the {@code rbd_aio_*} call; it returns 0 or a negative errno
     * @throws NativeCallException when the submission fails (nothing is left in flight then)
     * @throws ClusterStalledException when the client is stalled: no new IO joins the ones stuck
     */
    static AioCompletion submit(String description, NativeCalls calls, Object buffer,
                                ToIntFunction<Pointer> submit) {
        calls.failIfStalled(description);
        AioCompletion io = new AioCompletion(description, calls, buffer);
        PointerByReference out = new PointerByReference();
        NativeCallException.check("rbd_aio_create_completion",
                LibRbd.rbd_aio_create_completion(new Pointer(io.id), ON_COMPLETE, out));
        io.completion = out.getValue();
        io.work = calls.begin(description);
        IN_FLIGHT.put(io.id, io);
        int rc = submit.applyAsInt(io.completion);
        if (rc < 0) {
            // The IO never started, so librbd will not call back: release it here.
            IN_FLIGHT.remove(io.id);
            LibRbd.rbd_aio_release(io.completion);
            calls.end(io.work);
            calls.noteResult(rc);
            throw new NativeCallException("submit " + description, rc);
        }
        return io;
    }

    /** librbd's callback: runs on a librbd thread, must be quick and must never throw. */
    private static void completed(Pointer completion, Pointer arg) {
        try {
            long rc = LibRbd.rbd_aio_get_return_value(completion);
            LibRbd.rbd_aio_release(completion);
            AioCompletion io = IN_FLIGHT.remove(Pointer.nativeValue(arg));
            if (io != null) {
                io.result = rc;
                io.ended.countDown();
                io.calls.noteResult(rc);
                io.calls.end(io.work);
            }
        } catch (Throwable e) {
            // Nothing may unwind into librbd's thread.
        }
    }

    /** Asks without blocking: a cheap check, so the copy engine may ask every IO in flight. */
    @Override
    public boolean isDone() {
        return ended.getCount() == 0;
    }

    /**
     * Waits until the IO ends, at most the client's timeout after it was submitted.
     *
     * @throws ClusterStalledException when it did not end in time (it stays in flight, its buffer kept)
     * @throws NativeCallException when it failed
     */
    @Override
    public void await() {
        if (awaited) {
            throw new IllegalStateException("completion of " + description + " awaited twice");
        }
        try {
            while (ended.getCount() > 0) {
                long remaining = work.remainingNanos();
                if (remaining <= 0 || ended.await(remaining, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while waiting for " + description, e);
        }
        if (ended.getCount() > 0) {
            throw calls.gaveUpOn(description);
        }
        awaited = true;
        NativeCallException.check(description, result);
    }

    /** Stops waiting: the IO goes on holding its buffer, and its callback releases it. */
    @Override
    public void abandon() {
        awaited = true;
    }
}
