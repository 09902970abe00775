package io.cairn.ceph.copy;

/**
 * An IO that was started and may still be running. {@link #await()} blocks until it ends.
 */
@FunctionalInterface
public interface PendingIo {

    /** An IO that finished already, without error. */
    PendingIo DONE = new PendingIo() {
        @Override
        public void await() {
        }

        @Override
        public boolean isDone() {
            return true;
        }
    };

    /**
     * Waits for the IO to end and releases what it held.
     *
     * @throws RuntimeException when the IO failed; the message names the IO
     */
    void await();

    /**
     * Whether {@link #await()} would return at once, without blocking. The copy engine uses it to
     * handle IOs in the order they finish rather than the order they started. An IO that cannot tell
     * says {@code false} and is simply awaited in turn.
     */
    default boolean isDone() {
        return false;
    }

    /**
     * Stops waiting for the IO after the copy failed elsewhere: it may go on, keeping its buffer, until
     * it ends on its own; an IO that cannot be left running waits here. Never throws for the IO's own
     * failure - the copy has failed already.
     */
    default void abandon() {
        try {
            await();
        } catch (RuntimeException ignored) {
            // the first failure is what the copy reports
        }
    }
}
