package io.cairn.ceph.copy;

import java.nio.ByteBuffer;

/**
 * Tells whether a block is all zeros, so copies can skip or deallocate it instead of writing it.
 */
public final class ZeroBlocks {

    private final ByteBuffer zeros;

    /** @param maxLength the largest block that will be checked */
    public ZeroBlocks(int maxLength) {
        this.zeros = ByteBuffer.allocateDirect(maxLength).asReadOnlyBuffer();
    }

    /**
     * Whether the first {@code length} bytes of {@code block} are zero.
     *
     * <p>{@link ByteBuffer#mismatch} is vectorised by the JIT, and it stops at the first non-zero
     * byte, so random data costs almost nothing and zero blocks are scanned at memory speed.
     */
    public boolean isZero(ByteBuffer block, int length) {
        ByteBuffer candidate = block.duplicate().position(0).limit(length);
        ByteBuffer reference = zeros.duplicate().position(0).limit(length);
        return candidate.mismatch(reference) == -1;
    }
}
