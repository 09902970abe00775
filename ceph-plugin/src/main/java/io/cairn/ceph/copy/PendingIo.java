package io.cairn.ceph.copy;

/**
 * An IO that was started and may still be running. {@link #await()} blocks until it ends.
 */
@FunctionalInterface
public interface PendingIo {

    /** An IO that finished already, without error. */
    PendingIo DONE = () -> { };

    /**
     * Waits for the IO to end and releases what it held.
     *
     * @throws RuntimeException when the IO failed; the message names the IO
     */
    void await();
}
