package io.cairn.ceph.rbd;

import io.cairn.ceph.copy.BlockSink;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.PendingIo;
import java.nio.ByteBuffer;

/**
 * An open RBD image as either end of a copy, through librbd's asynchronous IO.
 */
public final class RbdBlocks implements BlockSource, BlockSink {

    private final RbdImageHandle image;

    public RbdBlocks(RbdImageHandle image) {
        this.image = image;
    }

    @Override
    public PendingIo read(long offset, int length, ByteBuffer buffer) {
        return image.readAsync(offset, length, buffer);
    }

    @Override
    public PendingIo write(long offset, int length, ByteBuffer buffer) {
        return image.writeAsync(offset, length, buffer);
    }

    @Override
    public PendingIo zero(long offset, long length) {
        return image.zeroAsync(offset, length);
    }

    @Override
    public void flush() {
        image.flush();
    }
}
