package io.cairn.ceph.rbd;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.cairn.ceph.copy.PendingIo;

/**
 * An asynchronous librbd IO. Created before the IO starts; {@link #await()} waits for it, checks its
 * result and releases the completion, exactly once.
 */
final class AioCompletion implements PendingIo {

    private final Pointer completion;
    private final String description;
    private boolean released;

    private AioCompletion(Pointer completion, String description) {
        this.completion = completion;
        this.description = description;
    }

    /** A completion without a callback: we wait for IOs in order instead. */
    static AioCompletion create(String description) {
        PointerByReference out = new PointerByReference();
        NativeCallException.check("rbd_aio_create_completion", LibRbd.rbd_aio_create_completion(null, null, out));
        return new AioCompletion(out.getValue(), description);
    }

    Pointer pointer() {
        return completion;
    }

    /** Releases a completion whose IO never started (its submission failed). */
    void releaseUnused() {
        if (!released) {
            released = true;
            LibRbd.rbd_aio_release(completion);
        }
    }

    /** Asks librbd without blocking: a cheap call, so the copy engine may ask every IO in flight. */
    @Override
    public boolean isDone() {
        return !released && LibRbd.rbd_aio_is_complete(completion) == 1;
    }

    @Override
    public void await() {
        if (released) {
            throw new IllegalStateException("completion of " + description + " awaited twice");
        }
        LibRbd.rbd_aio_wait_for_complete(completion);
        long result = LibRbd.rbd_aio_get_return_value(completion);
        released = true;
        LibRbd.rbd_aio_release(completion);
        NativeCallException.check(description, result);
    }
}
