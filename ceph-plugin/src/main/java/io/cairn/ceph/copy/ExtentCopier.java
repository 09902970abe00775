package io.cairn.ceph.copy;

import io.cairn.api.ProgressListener;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Copies a list of extents from a {@link BlockSource} to a {@link BlockSink} with many IOs in flight.
 *
 * <p>Data extents are cut into blocks of at most {@code ioSize} bytes, aligned to multiples of
 * {@code ioSize} (which match RBD object boundaries when {@code ioSize} is the object size). Each block
 * is read into one of {@code parallelIos} reusable direct buffers; a block that turns out to be all
 * zeros is not written: skipped when the target is known to read as zeros already, zeroed (deallocated)
 * otherwise. Holes are zeroed on the target unless it is known to be empty.
 *
 * <p>IOs complete in the order they were started (the oldest is awaited first). Memory is bounded by
 * {@code parallelIos * ioSize}, whatever the volume's size.
 */
public final class ExtentCopier {

    private final int ioSize;
    private final int parallelIos;
    private final ZeroBlocks zeroBlocks;

    /**
     * @param ioSize      the largest single read or write
     * @param parallelIos how many reads and writes may be in flight at once
     */
    public ExtentCopier(int ioSize, int parallelIos) {
        if (ioSize <= 0 || parallelIos <= 0) {
            throw new IllegalArgumentException("ioSize and parallelIos must be positive");
        }
        this.ioSize = ioSize;
        this.parallelIos = parallelIos;
        this.zeroBlocks = new ZeroBlocks(ioSize);
    }

    /**
     * Copies the extents.
     *
     * @param targetIsEmpty whether the target already reads as zeros everywhere the extents cover
     *                      (a freshly created image or file): zeros are then skipped, not written
     * @throws RuntimeException from the first IO that failed, after every IO in flight has ended
     */
    public CopyStats copy(List<Extent> extents, BlockSource source, BlockSink sink, boolean targetIsEmpty,
                          ProgressListener progress) {
        long total = 0;
        for (Extent extent : extents) {
            total += extent.length();
        }
        Run run = new Run(source, sink, targetIsEmpty, new ProgressMeter(progress, total));
        try {
            for (Extent extent : extents) {
                if (extent.data()) {
                    run.copyData(extent);
                } else {
                    run.zeroHole(extent);
                }
            }
            run.drain();
            sink.flush();
        } catch (RuntimeException e) {
            // Native code may still be writing into our buffers: wait for every IO before giving up.
            run.abandon(e);
            throw e;
        }
        run.meter.finish();
        return new CopyStats(run.bytesRead, run.bytesWritten, run.bytesZeroed, run.bytesSkipped);
    }

    /** The state of one copy. */
    private final class Run {
        private final BlockSource source;
        private final BlockSink sink;
        private final boolean targetIsEmpty;
        private final ProgressMeter meter;
        private final Deque<ByteBuffer> freeBuffers = new ArrayDeque<>();
        private final Deque<Io> inFlight = new ArrayDeque<>();
        private int buffersAllocated;
        private long bytesRead;
        private long bytesWritten;
        private long bytesZeroed;
        private long bytesSkipped;

        Run(BlockSource source, BlockSink sink, boolean targetIsEmpty, ProgressMeter meter) {
            this.source = source;
            this.sink = sink;
            this.targetIsEmpty = targetIsEmpty;
            this.meter = meter;
        }

        void copyData(Extent extent) {
            long offset = extent.offset();
            while (offset < extent.end()) {
                long blockEnd = Math.min(extent.end(), (offset / ioSize + 1) * ioSize);
                int length = (int) (blockEnd - offset);
                ByteBuffer buffer = takeBuffer();
                inFlight.add(new Io(Kind.READ, offset, length, buffer, source.read(offset, length, buffer)));
                offset = blockEnd;
            }
        }

        void zeroHole(Extent extent) {
            if (targetIsEmpty) {
                bytesSkipped += extent.length();
                meter.advance(extent.length());
                return;
            }
            startZero(extent.offset(), extent.length());
        }

        private void startZero(long offset, long length) {
            // Zeroing holds no buffer, but bound the number of IOs all the same.
            while (inFlight.size() >= 2 * parallelIos) {
                completeOldest();
            }
            inFlight.add(new Io(Kind.ZERO, offset, length, null, sink.zero(offset, length)));
        }

        private ByteBuffer takeBuffer() {
            while (freeBuffers.isEmpty()) {
                if (buffersAllocated < parallelIos) {
                    buffersAllocated++;
                    return ByteBuffer.allocateDirect(ioSize);
                }
                completeOldest();
            }
            return freeBuffers.pop();
        }

        void drain() {
            while (!inFlight.isEmpty()) {
                completeOldest();
            }
        }

        private void completeOldest() {
            Io io = inFlight.poll();
            io.pending.await();
            switch (io.kind) {
                case READ -> {
                    bytesRead += io.length;
                    if (!zeroBlocks.isZero(io.buffer, (int) io.length)) {
                        inFlight.add(new Io(Kind.WRITE, io.offset, io.length, io.buffer,
                                sink.write(io.offset, (int) io.length, io.buffer)));
                        return;
                    }
                    freeBuffers.push(io.buffer);
                    if (targetIsEmpty) {
                        bytesSkipped += io.length;
                        meter.advance(io.length);
                    } else {
                        startZero(io.offset, io.length);
                    }
                }
                case WRITE -> {
                    freeBuffers.push(io.buffer);
                    bytesWritten += io.length;
                    meter.advance(io.length);
                }
                case ZERO -> {
                    bytesZeroed += io.length;
                    meter.advance(io.length);
                }
            }
        }

        void abandon(RuntimeException cause) {
            for (Io io : inFlight) {
                try {
                    io.pending.await();
                } catch (RuntimeException suppressed) {
                    cause.addSuppressed(suppressed);
                }
            }
            inFlight.clear();
        }
    }

    private enum Kind { READ, WRITE, ZERO }

    /** One IO in flight; {@code buffer} is null for zeroing. */
    private record Io(Kind kind, long offset, long length, ByteBuffer buffer, PendingIo pending) {
    }
}
