package io.cairn.ceph.copy;

import java.nio.ByteBuffer;

/**
 * Where a copy reads from: an RBD snapshot or a file.
 */
public interface BlockSource {

    /**
     * Starts reading {@code length} bytes at {@code offset} into {@code buffer} (a direct buffer, from
     * position 0). The buffer must not be touched until the returned IO has been awaited.
     */
    PendingIo read(long offset, int length, ByteBuffer buffer);
}
