package io.cairn.ceph.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import io.cairn.ceph.digest.ChunkDigests;
import io.cairn.ceph.digest.DigestPlan;
import io.cairn.ceph.digest.Sha256;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An incremental copy reads whole chunks for their digests and, through the mask, changes on the target
 * exactly what the diff says: the same bytes as a copy of the diff alone, and nothing written outside it.
 */
class MaskedSinkTest {

    private static final int CHUNK = 64 * 1024;
    private static final int SIZE = 16 * CHUNK;

    @Test
    void aWholeChunkCopyThroughTheMaskChangesOnlyTheDiff() {
        Random random = new Random(3);
        MemoryBlocks parent = new MemoryBlocks(SIZE);
        random.nextBytes(parent.bytes);
        MemoryBlocks source = new MemoryBlocks(SIZE);
        System.arraycopy(parent.bytes, 0, source.bytes, 0, SIZE);
        // The diff: data written into chunks 1 and 5 (part of each), a hole over chunk 8 and part of 9, data at the end.
        List<Extent> diff = List.of(new Extent(CHUNK + 100, 5000, true), new Extent(5L * CHUNK, 3 * 4096, true),
                new Extent(8L * CHUNK, CHUNK + 4096, false), new Extent(SIZE - 10, 10, true));
        for (Extent extent : diff) {
            if (extent.data()) {
                byte[] data = new byte[(int) extent.length()];
                random.nextBytes(data);
                System.arraycopy(data, 0, source.bytes, (int) extent.offset(), data.length);
            } else {
                Arrays.fill(source.bytes, (int) extent.offset(), (int) extent.end(), (byte) 0);
            }
        }
        MemoryBlocks target = new MemoryBlocks(SIZE);
        System.arraycopy(parent.bytes, 0, target.bytes, 0, SIZE);

        ChunkDigests parentDigests = ChunkDigests.unknown("p", CHUNK, SIZE);
        for (int chunk = 0; chunk < parentDigests.count(); chunk++) {
            parentDigests.set(chunk, Sha256.of(Arrays.copyOfRange(parent.bytes, chunk * CHUNK, (chunk + 1) * CHUNK)));
        }
        DigestPlan plan = DigestPlan.fromParent("c", SIZE, diff, parentDigests);
        List<Extent> reads = plan.readPlan(diff);
        assertEquals(List.of(new Extent(CHUNK, CHUNK, true), new Extent(5L * CHUNK, CHUNK, true),
                new Extent(8L * CHUNK, CHUNK, false), new Extent(9L * CHUNK, CHUNK, true),
                new Extent(15L * CHUNK, CHUNK, true)), reads, "touched chunks whole, the hole over chunk 8 as a hole");

        MaskedSink masked = new MaskedSink(target, diff);
        new ExtentCopier(CHUNK, 4).copy(reads, source, masked, false, ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes, "the target holds the source");
        for (String io : target.log) {
            if (!io.startsWith("write ") && !io.startsWith("zero ")) {
                continue;
            }
            String[] range = io.split(" ")[1].split("\\+");
            long start = Long.parseLong(range[0]);
            long end = start + Long.parseLong(range[1]);
            assertTrue(diff.stream().anyMatch(e -> e.offset() <= start && end <= e.end()), io + " is outside the diff");
        }
        assertTrue(masked.bytesWritten() <= 5000 + 3 * 4096 + 10 + 2 * 4096, "written: " + masked.bytesWritten());
    }
}
