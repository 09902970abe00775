package io.cairn.ceph.copy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A volume held in a byte array: a real {@link BlockSource} and {@link BlockSink} for testing the copy
 * engine's logic without a cluster. Records every IO, and can be told to fail one.
 */
final class MemoryBlocks implements BlockSource, BlockSink {

    final byte[] bytes;
    final List<String> log = new ArrayList<>();
    long failAtOffset = -1;
    int maxInFlight;
    private int inFlight;

    MemoryBlocks(int size) {
        this.bytes = new byte[size];
    }

    @Override
    public PendingIo read(long offset, int length, ByteBuffer buffer) {
        log.add("read " + offset + "+" + length);
        buffer.duplicate().position(0).put(bytes, (int) offset, length);
        return started(offset);
    }

    @Override
    public PendingIo write(long offset, int length, ByteBuffer buffer) {
        log.add("write " + offset + "+" + length);
        buffer.duplicate().position(0).limit(length).get(bytes, (int) offset, length);
        return started(offset);
    }

    @Override
    public PendingIo zero(long offset, long length) {
        log.add("zero " + offset + "+" + length);
        java.util.Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        return started(offset);
    }

    private PendingIo started(long offset) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return () -> {
            inFlight--;
            if (offset == failAtOffset) {
                throw new IllegalStateException("injected failure at " + offset);
            }
        };
    }

    int inFlight() {
        return inFlight;
    }

    @Override
    public void flush() {
        log.add("flush");
    }

    @Override
    public String describe() {
        return "memory";
    }
}
