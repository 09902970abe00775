package io.cairn.ceph.copy;

import java.nio.ByteBuffer;

/**
 * Sees every block a copy reads, before it is written: how a backup records the digests of what it
 * stores without reading it twice.
 */
@FunctionalInterface
public interface ReadObserver {

    /** Sees nothing. */
    ReadObserver NONE = (offset, length, data) -> PendingIo.DONE;

    /**
     * Called on the copying thread when bytes {@code [offset, offset + length)} of the source have been
     * read into {@code data} (from position 0). The observer may go on reading {@code data} on another
     * thread until the returned IO ends; the copy does not reuse the buffer before, and never changes
     * it (writes only read it).
     *
     * @return {@link PendingIo#DONE} when done with the buffer already
     */
    PendingIo observe(long offset, int length, ByteBuffer data);
}
