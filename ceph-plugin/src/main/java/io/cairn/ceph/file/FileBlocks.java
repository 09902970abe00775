package io.cairn.ceph.file;

import io.cairn.ceph.copy.BlockSink;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.PendingIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file or block device as either end of a copy. IO is synchronous: local reads and writes are fast
 * next to the RBD side, whose IOs stay asynchronous.
 */
public final class FileBlocks implements BlockSource, BlockSink {

    private static final int ZERO_CHUNK = 1 << 20;

    private final FileChannel channel;
    private final Path path;
    private ByteBuffer zeros;

    public FileBlocks(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    @Override
    public PendingIo read(long offset, int length, ByteBuffer buffer) {
        ByteBuffer target = buffer.duplicate().position(0).limit(length);
        try {
            while (target.hasRemaining()) {
                int n = channel.read(target, offset + target.position());
                if (n < 0) {
                    // Past the end of the file: the rest reads as zeros, as in a sparse image.
                    while (target.hasRemaining()) {
                        target.put((byte) 0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read " + path + " at " + offset + ": " + e.getMessage(), e);
        }
        return PendingIo.DONE;
    }

    @Override
    public PendingIo write(long offset, int length, ByteBuffer buffer) {
        writeFully(offset, buffer.duplicate().position(0).limit(length));
        return PendingIo.DONE;
    }

    @Override
    public PendingIo zero(long offset, long length) {
        // Java cannot punch holes; write zeros (block devices and overwritten files only need this).
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        }
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(ZERO_CHUNK, length - done);
            writeFully(offset + done, zeros.duplicate().position(0).limit(n));
            done += n;
        }
        return PendingIo.DONE;
    }

    private void writeFully(long offset, ByteBuffer data) {
        try {
            long position = offset;
            while (data.hasRemaining()) {
                position += channel.write(data, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + path + " at " + offset + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync " + path + ": " + e.getMessage(), e);
        }
    }
}
