package io.cairn.ceph.digest;

import io.cairn.ceph.copy.ZeroBlocks;
import java.nio.ByteBuffer;

/** How one chunk's bytes become its entry in a {@link ChunkDigests} table, and how they are checked against it. */
public final class ChunkHashing {

    /** Read-only after construction, so any thread may use it. */
    private static final ZeroBlocks ZEROS = new ZeroBlocks(ChunkSizes.OBJECT, ZeroBlocks.GRANULE);

    private ChunkHashing() {
    }

    /** Records bytes {@code [offset, offset + length)} of {@code buffer} as chunk {@code chunk}. */
    public static void record(ChunkDigests table, int chunk, ByteBuffer buffer, int offset, int length) {
        if (ZEROS.isZero(buffer, offset, length)) {
            table.setZero(chunk);
        } else {
            table.set(chunk, Sha256.of(buffer, offset, length));
        }
    }

    /** Whether the bytes are what the table recorded for the chunk. A zero check costs no hashing. */
    public static boolean matches(ChunkDigests table, int chunk, ByteBuffer buffer, int offset, int length) {
        boolean zero = ZEROS.isZero(buffer, offset, length);
        if (table.isZero(chunk)) {
            return zero;
        }
        return !zero && table.matches(chunk, Sha256.of(buffer, offset, length));
    }
}
