package io.cairn.ceph.copy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A volume held in a byte array: a real {@link BlockSource} and {@link BlockSink} for testing the copy
 * engine's logic without a cluster. Records every IO, and can be told to fail one, or to behave like
 * asynchronous storage whose IOs end in another order than they started.
 */
final class MemoryBlocks implements BlockSource, BlockSink {

    final byte[] bytes;
    final List<String> log = new ArrayList<>();
    long failAtOffset = -1;
    /**
     * When set, an IO takes effect only when it ends - when awaited, or when {@link PendingIo#isDone()}
     * is asked - and every second IO ends as soon as it is asked, ahead of older ones. A copier that
     * touched a buffer before its IO ended would then copy the wrong bytes.
     */
    boolean endOutOfOrder;
    int maxInFlight;
    private int inFlight;
    private int startedIos;

    MemoryBlocks(int size) {
        this.bytes = new byte[size];
    }

    @Override
    public PendingIo read(long offset, int length, ByteBuffer buffer) {
        log.add("read " + offset + "+" + length);
        return started(offset, () -> buffer.duplicate().position(0).put(bytes, (int) offset, length));
    }

    @Override
    public PendingIo write(long offset, int length, ByteBuffer buffer) {
        log.add("write " + offset + "+" + length);
        return started(offset, () -> buffer.duplicate().position(0).limit(length).get(bytes, (int) offset, length));
    }

    @Override
    public PendingIo zero(long offset, long length) {
        log.add("zero " + offset + "+" + length);
        return started(offset, () -> java.util.Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0));
    }

    private PendingIo started(long offset, Runnable effect) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (!endOutOfOrder) {
            effect.run();
            return () -> {
                inFlight--;
                if (offset == failAtOffset) {
                    throw new IllegalStateException("injected failure at " + offset);
                }
            };
        }
        boolean endsEarly = startedIos++ % 2 == 1;
        return new PendingIo() {
            private boolean ended;

            private void end() {
                if (!ended) {
                    ended = true;
                    effect.run();
                    inFlight--;
                }
            }

            @Override
            public boolean isDone() {
                if (endsEarly) {
                    end();
                }
                return ended;
            }

            @Override
            public void await() {
                end();
                if (offset == failAtOffset) {
                    throw new IllegalStateException("injected failure at " + offset);
                }
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
}
