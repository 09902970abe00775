package io.cairn.ceph.copy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the data in a block: the runs of non-zero bytes that must be written, and the zero stretches
 * that can be skipped (on an empty target) or deallocated (elsewhere).
 *
 * <p>Blocks are examined in {@value #GRANULE}-byte granules (a file system page); a zero stretch
 * shorter than {@code minimumHole} is kept inside the data around it, so a block with a few zero
 * pages does not turn into many small writes.
 */
public final class ZeroBlocks {

    /** The unit in which zeros are recognised. */
    public static final int GRANULE = 4096;
    /**
     * Size of the all-zero buffer blocks are compared with; longer ranges are compared piece by piece.
     * Small on purpose: allocateDirect zero-fills it, so its size is resident memory for nothing.
     */
    private static final int REFERENCE_BYTES = 64 * 1024;

    private final ByteBuffer zeros;
    private final int minimumHole;

    /**
     * @param maxLength   the largest block that will be examined
     * @param minimumHole the shortest zero stretch worth skipping inside a block
     */
    public ZeroBlocks(int maxLength, int minimumHole) {
        this.zeros = ByteBuffer.allocateDirect(Math.min(maxLength, REFERENCE_BYTES)).asReadOnlyBuffer();
        this.minimumHole = minimumHole;
    }

    /**
     * Whether the first {@code length} bytes of {@code block} are zero.
     *
     * <p>{@link ByteBuffer#mismatch} is vectorised by the JIT, and it stops at the first non-zero
     * byte, so random data costs almost nothing and zero blocks are scanned at memory speed.
     */
    public boolean isZero(ByteBuffer block, int offset, int length) {
        for (int done = 0; done < length; ) {
            int piece = Math.min(zeros.capacity(), length - done);
            ByteBuffer candidate = block.duplicate().limit(offset + done + piece).position(offset + done);
            if (candidate.mismatch(zeros.duplicate().limit(piece).position(0)) != -1) {
                return false;
            }
            done += piece;
        }
        return true;
    }

    /**
     * The runs of data in the first {@code length} bytes of {@code block}, in order; empty when the
     * block is all zeros. Zero stretches shorter than the minimum hole count as data.
     */
    List<Run> dataRuns(ByteBuffer block, int length) {
        List<Run> runs = new ArrayList<>();
        int runStart = -1;
        int zeroStart = -1;
        for (int granule = 0; granule < length; granule += GRANULE) {
            int size = Math.min(GRANULE, length - granule);
            if (isZero(block, granule, size)) {
                if (zeroStart < 0) {
                    zeroStart = granule;
                }
                continue;
            }
            if (runStart >= 0 && zeroStart >= 0 && granule - zeroStart >= minimumHole) {
                runs.add(new Run(runStart, zeroStart));
                runStart = -1;
            }
            if (runStart < 0) {
                runStart = granule;
            }
            zeroStart = -1;
        }
        if (runStart >= 0) {
            runs.add(new Run(runStart, zeroStart >= 0 && length - zeroStart >= minimumHole ? zeroStart : length));
        }
        return runs;
    }

    /** Bytes {@code [start, end)} of a block. */
    public record Run(int start, int end) {
        public int length() {
            return end - start;
        }
    }
}
