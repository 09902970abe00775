package io.cairn.ceph.copy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that writes and zeroes only inside given ranges, and passes over the rest.
 *
 * <p>Why: a backup records the digest of every chunk its diff touches, which needs the whole chunk;
 * reading whole chunks for the copy - instead of the diff's extents and then the chunks again - reads
 * each touched chunk once. But the base image must still get only what the diff says changed: around it
 * an incremental's base holds the parent's bytes, equal to the source's, and a full backup's new base
 * reads as zeros, as the snapshot does where nothing is allocated; writing them would cost writes and
 * space for nothing. This sink keeps the copy to the diff.
 */
public final class MaskedSink implements BlockSink {

    private final BlockSink sink;
    private final long[] starts;
    private final long[] ends;
    private long bytesWritten;

    /**
     * @param ranges where writes and zeroes may go: the diff's extents (data and holes) in offset order,
     *               not overlapping
     */
    public MaskedSink(BlockSink sink, List<Extent> ranges) {
        this.sink = sink;
        this.starts = new long[ranges.size()];
        this.ends = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            starts[i] = ranges.get(i).offset();
            ends[i] = ranges.get(i).end();
            if (i > 0 && starts[i] < ends[i - 1]) {
                throw new IllegalArgumentException("ranges overlap or are out of order at " + ranges.get(i));
            }
        }
    }

    /** Bytes actually written (inside the ranges); the copy's own count includes what was passed over. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public PendingIo write(long offset, int length, ByteBuffer buffer) {
        List<PendingIo> started = new ArrayList<>();
        for (int i = first(offset); i < starts.length && starts[i] < offset + length; i++) {
            long from = Math.max(offset, starts[i]);
            long to = Math.min(offset + length, ends[i]);
            if (from < to) {
                int at = (int) (from - offset);
                started.add(sink.write(from, (int) (to - from), buffer.slice(at, (int) (to - from))));
                bytesWritten += to - from;
            }
        }
        return all(started);
    }

    @Override
    public PendingIo zero(long offset, long length) {
        List<PendingIo> started = new ArrayList<>();
        for (int i = first(offset); i < starts.length && starts[i] < offset + length; i++) {
            long from = Math.max(offset, starts[i]);
            long to = Math.min(offset + length, ends[i]);
            if (from < to) {
                started.add(sink.zero(from, to - from));
            }
        }
        return all(started);
    }

    @Override
    public void flush() {
        sink.flush();
    }

    /** The first range that ends after {@code offset}. */
    private int first(long offset) {
        int low = 0;
        int high = ends.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] <= offset) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static PendingIo all(List<PendingIo> ios) {
        if (ios.isEmpty()) {
            return PendingIo.DONE;
        }
        if (ios.size() == 1) {
            return ios.get(0);
        }
        return new PendingIo() {
            @Override
            public void await() {
                RuntimeException failure = null;
                for (PendingIo io : ios) {
                    try {
                        io.await();
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public boolean isDone() {
                return ios.stream().allMatch(PendingIo::isDone);
            }

            @Override
            public void abandon() {
                ios.forEach(PendingIo::abandon);
            }
        };
    }
}
