package io.cairn.ceph.copy;

import io.cairn.api.ProgressListener;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Copies a list of extents from a {@link BlockSource} to a {@link BlockSink} with many IOs in flight.
 *
 * <p>Data extents are cut into blocks of at most {@code ioSize} bytes, aligned to multiples of
 * {@code ioSize} (which match RBD object boundaries when {@code ioSize} is the object size). Each block
 * is read into one of {@code parallelIos} reusable direct buffers of {@code ioSize} (fewer while more copies of the
 * session than {@link IoShare#COPIES_AT_FULL_DEPTH} run at once: {@link IoShare}) - a block over half of it into a
 * whole buffer, smaller ones into consecutive pieces of a shared one, so that an incremental of scattered small
 * writes (64 KiB blocks in 4 MiB buffers) keeps up to {@value #IOS_PER_BUFFER} IOs per buffer in flight, not one:
 * with one, 8 small IOs in flight made the copy about 1.4 times as slow as {@code rbd export-diff | rbd import-diff}
 * doing the same OSD work with about 20. Only a block's runs of data are written
 * (see {@link ZeroBlocks}): its zero stretches are skipped when the target is known to read as zeros
 * already, zeroed (deallocated) otherwise. Holes are zeroed on the target unless it is known to be
 * empty.
 *
 * <p>Zeros matter because librbd reports the extents of an object written once since its creation as
 * the whole object up to its last write: a 64 KiB write at 2 MiB makes a 2 MiB extent of mostly zeros.
 *
 * <p>IOs are handled in the order they finish: whenever the copy needs a buffer (or a slot for
 * zeroing), every IO that has already ended is handled - a finished read starts its writes, a finished
 * write frees its buffer - and only when none has ended does it block, on the oldest. Waiting for the
 * oldest alone would leave finished reads idle behind one slow write and drain the pipeline. Memory
 * is bounded by {@code parallelIos * ioSize}, whatever the volume's size - and a session's copies together by
 * {@code COPIES_AT_FULL_DEPTH * parallelIos * ioSize}, roughly, whatever how many run.
 */
public final class ExtentCopier {

    private final int ioSize;
    private final IoShare share;
    /** Zero stretches shorter than this are written with the data around them. */
    private static final int MINIMUM_HOLE = 64 * 1024;
    /** IOs in flight a copy may have per buffer it may hold, when its blocks are small enough to share buffers. */
    private static final int IOS_PER_BUFFER = 4;

    private final ZeroBlocks zeroBlocks;

    /**
     * @param ioSize      the largest single read or write
     * @param parallelIos how many reads and writes may be in flight at once
     */
    public ExtentCopier(int ioSize, int parallelIos) {
        this(ioSize, new IoShare(parallelIos)); // a share of its own: nothing else counts in it
    }

    /**
     * @param ioSize the largest single read or write
     * @param share  how many reads and writes may be in flight at once, shared with the session's other copies
     *               (the caller counts its operation in it, {@link IoShare#join})
     */
    public ExtentCopier(int ioSize, IoShare share) {
        if (ioSize <= 0) {
            throw new IllegalArgumentException("ioSize must be positive");
        }
        this.ioSize = ioSize;
        this.share = share;
        this.zeroBlocks = new ZeroBlocks(ioSize, MINIMUM_HOLE);
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
        return copy(extents, source, sink, targetIsEmpty, progress, ReadObserver.NONE);
    }

    /**
     * Copies the extents, showing every block read to {@code observer} before it is written.
     *
     * @see #copy(List, BlockSource, BlockSink, boolean, ProgressListener)
     */
    public CopyStats copy(List<Extent> extents, BlockSource source, BlockSink sink, boolean targetIsEmpty,
                          ProgressListener progress, ReadObserver observer) {
        long total = 0;
        for (Extent extent : extents) {
            total += extent.length();
        }
        Run run = new Run(source, sink, targetIsEmpty, new ProgressMeter(progress, total), observer);
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
        private final ReadObserver observer;
        private final Deque<Slab> freeSlabs = new ArrayDeque<>();
        /** The buffer small blocks are cut from now, if any. */
        private Slab cutFrom;
        private final Deque<Io> inFlight = new ArrayDeque<>();
        private int buffersAllocated;
        private long bytesRead;
        private long bytesWritten;
        private long bytesZeroed;
        private long bytesSkipped;

        Run(BlockSource source, BlockSink sink, boolean targetIsEmpty, ProgressMeter meter, ReadObserver observer) {
            this.source = source;
            this.sink = sink;
            this.targetIsEmpty = targetIsEmpty;
            this.meter = meter;
            this.observer = observer;
        }

        void copyData(Extent extent) {
            long offset = extent.offset();
            while (offset < extent.end()) {
                long blockEnd = Math.min(extent.end(), (offset / ioSize + 1) * ioSize);
                int length = (int) (blockEnd - offset);
                waitForRoom();
                Block block = takeBlock(length);
                inFlight.add(new Io(Kind.READ, offset, length, block, source.read(offset, length, block.buffer)));
                offset = blockEnd;
            }
        }

        /**
         * A buffer for a block: a whole one for a block over half the IO size; for a smaller one, the next
         * {@code length} bytes of the buffer small blocks are cut from now, so that small IOs are not limited to
         * one per buffer (memory stays bounded by the buffers).
         */
        private Block takeBlock(int length) {
            if (2L * length > ioSize) {
                Slab slab = takeSlab();
                slab.used = ioSize;
                slab.users = 1;
                return new Block(slab.buffer, slab);
            }
            while (cutFrom == null || cutFrom.used + length > ioSize) {
                Slab next = takeSlab();
                if (cutFrom != null && cutFrom.users == 0) {
                    freeSlabs.push(cutFrom);
                }
                cutFrom = next;
            }
            ByteBuffer slice = cutFrom.buffer.slice(cutFrom.used, length);
            cutFrom.used += length;
            cutFrom.users++;
            return new Block(slice, cutFrom);
        }

        void zeroHole(Extent extent) {
            zeroes(extent.offset(), extent.length());
        }

        private void startZero(long offset, long length) {
            // Zeroing holds no buffer, but counts among the IOs in flight all the same.
            waitForRoom();
            inFlight.add(new Io(Kind.ZERO, offset, length, null, sink.zero(offset, length)));
        }

        /** Waits until one more IO may start: a copy keeps at most {@value #IOS_PER_BUFFER} per buffer in flight. */
        private void waitForRoom() {
            while (inFlight.size() >= IOS_PER_BUFFER * share.part()) {
                completeSome();
            }
        }

        /** A buffer no block uses: a free one, the one small blocks were cut from if none uses it, or a new one. */
        private Slab takeSlab() {
            while (true) {
                Slab slab = null;
                if (!freeSlabs.isEmpty()) {
                    slab = freeSlabs.pop();
                } else if (cutFrom != null && cutFrom.users == 0) {
                    slab = cutFrom;
                    cutFrom = null;
                } else if (buffersAllocated < share.part()) {
                    buffersAllocated++;
                    slab = new Slab(ByteBuffer.allocateDirect(ioSize));
                }
                if (slab != null) {
                    slab.used = 0;
                    return slab;
                }
                completeSome();
            }
        }

        void drain() {
            while (!inFlight.isEmpty()) {
                completeSome();
            }
        }

        /** Handles every IO that has ended; when none has, waits for the oldest. */
        private void completeSome() {
            List<Io> ended = new ArrayList<>();
            for (Iterator<Io> it = inFlight.iterator(); it.hasNext(); ) {
                Io io = it.next();
                if (io.pending.isDone()) {
                    it.remove();
                    ended.add(io);
                }
            }
            if (ended.isEmpty()) {
                ended.add(inFlight.poll());
            }
            for (int i = 0; i < ended.size(); i++) {
                try {
                    complete(ended.get(i));
                } catch (RuntimeException e) {
                    // The rest are still in flight as far as the copy knows: abandon() deals with them.
                    inFlight.addAll(ended.subList(i + 1, ended.size()));
                    throw e;
                }
            }
        }

        private void complete(Io io) {
            io.pending.await();
            switch (io.kind) {
                case READ -> {
                    bytesRead += io.length;
                    // The block is held by this step until its writes have started, and by the observer.
                    io.block.users = 1;
                    PendingIo observed = observer.observe(io.offset, (int) io.length, io.block.buffer);
                    if (observed != PendingIo.DONE) {
                        io.block.users++;
                        inFlight.add(new Io(Kind.OBSERVE, io.offset, 0, io.block, observed));
                    }
                    writeData(io);
                    release(io.block);
                }
                case WRITE -> {
                    bytesWritten += io.length;
                    meter.advance(io.length);
                    release(io.block);
                }
                case OBSERVE -> release(io.block);
                case ZERO -> {
                    bytesZeroed += io.length;
                    meter.advance(io.length);
                }
            }
        }

        /** Starts writing a block's runs of data; skips or zeroes the rest. */
        private void writeData(Io read) {
            List<ZeroBlocks.Run> runs = zeroBlocks.dataRuns(read.block.buffer, (int) read.length);
            read.block.users += runs.size();
            int position = 0;
            for (ZeroBlocks.Run run : runs) {
                zeroes(read.offset + position, run.start() - position);
                ByteBuffer data = read.block.buffer.slice(run.start(), run.length());
                inFlight.add(new Io(Kind.WRITE, read.offset + run.start(), run.length(), read.block,
                        sink.write(read.offset + run.start(), run.length(), data)));
                position = run.end();
            }
            zeroes(read.offset + position, read.length - position);
        }

        /** One user of a block is done with it; the last one frees its buffer. */
        private void release(Block block) {
            if (--block.users == 0 && --block.slab.users == 0) {
                if (block.slab == cutFrom) {
                    cutFrom.used = 0;
                } else {
                    freeSlabs.push(block.slab);
                }
            }
        }

        /** A range that must read as zeros: skipped on an empty target, zeroed on others. */
        private void zeroes(long offset, long length) {
            if (length <= 0) {
                return;
            }
            if (targetIsEmpty) {
                bytesSkipped += length;
                meter.advance(length);
            } else {
                startZero(offset, length);
            }
        }

        /**
         * Gives up on the IOs still in flight without waiting for them: the copy has failed, and after a
         * timeout they may never end. Each keeps its buffer until it ends (see {@link PendingIo#abandon}).
         */
        void abandon(RuntimeException cause) {
            for (Io io : inFlight) {
                if (io.pending.isDone()) {
                    try {
                        io.pending.await();
                    } catch (RuntimeException suppressed) {
                        cause.addSuppressed(suppressed);
                    }
                } else {
                    io.pending.abandon();
                }
            }
            inFlight.clear();
        }
    }

    private enum Kind { READ, WRITE, ZERO, OBSERVE }

    /** One IO in flight; {@code block} is null for zeroing. */
    private record Io(Kind kind, long offset, long length, Block block, PendingIo pending) {
    }

    /** A buffer read from the source, in use until its last write (and its observer) has completed. */
    private static final class Block {
        final ByteBuffer buffer;
        final Slab slab;
        int users;

        Block(ByteBuffer buffer, Slab slab) {
            this.buffer = buffer;
            this.slab = slab;
        }
    }

    /** One of the copy's direct buffers of the IO size, and the blocks in use that were cut from it. */
    private static final class Slab {
        final ByteBuffer buffer;
        int used;
        int users;

        Slab(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }
}
