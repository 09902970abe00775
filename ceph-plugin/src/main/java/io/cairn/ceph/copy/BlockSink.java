package io.cairn.ceph.copy;

import java.nio.ByteBuffer;

/**
 * Where a copy writes to: an RBD image or a file.
 */
public interface BlockSink {

    /**
     * Starts writing {@code length} bytes of {@code buffer} (from position 0) at {@code offset}. The
     * buffer must not be touched until the returned IO has been awaited.
     */
    PendingIo write(long offset, int length, ByteBuffer buffer);

    /**
     * Starts making {@code length} bytes at {@code offset} read as zeros, deallocating them where the
     * storage can.
     */
    PendingIo zero(long offset, long length);

    /** Makes every completed write durable. */
    void flush();
}
