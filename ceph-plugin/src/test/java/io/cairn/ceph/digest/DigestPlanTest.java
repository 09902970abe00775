package io.cairn.ceph.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.ceph.copy.Extent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What is known without reading, what must be read, and the stored form of a table. */
class DigestPlanTest {

    private static final int CHUNK = 4 << 20;
    private static final long MIB = 1 << 20;

    @Test
    void fromScratchReadsTheChunksHoldingDataAndTakesTheRestForZeros() {
        DigestPlan plan = DigestPlan.fromScratch("b", CHUNK, 20 * MIB, List.of(new Extent(MIB, 4096, true),
                new Extent(9 * MIB, 8 * MIB, true)), "test");
        assertEquals(bits(0, 2, 3, 4), plan.toCompute());
        assertTrue(plan.table().isZero(1));
        assertEquals(List.of(new Extent(0, 4 * MIB, true), new Extent(8 * MIB, 12 * MIB, true)), plan.wholeChunks());
    }

    @Test
    void anIncrementalCarriesItsParentsUntouchedChunksAndReadsWhatTheDiffTouches() {
        ChunkDigests parent = filled("p", 16 * MIB);
        DigestPlan plan = DigestPlan.fromParent("c", 16 * MIB, List.of(new Extent(5 * MIB, 4096, true),
                new Extent(8 * MIB, 4 * MIB, false), new Extent(13 * MIB, MIB, false)), parent);
        assertEquals(bits(1, 3), plan.toCompute(), "a write, and a hole over part of a chunk");
        assertTrue(plan.table().isZero(2), "a chunk the diff made a hole from end to end is zeros");
        assertTrue(plan.table().matches(0, digestOf(parent, 0)), "untouched: the parent's entry");
    }

    @Test
    void growingAndShrinkingReadOnlyTheChunkAcrossTheOldEnd() {
        ChunkDigests parent = filled("p", 10 * MIB);
        DigestPlan grown = DigestPlan.fromParent("c", 20 * MIB, List.of(), parent);
        assertEquals(bits(2), grown.toCompute(), "the chunk that was 2 MiB long and is now 4 MiB");
        assertTrue(grown.table().isZero(3) && grown.table().isZero(4), "new space nobody wrote reads as zeros");
        DigestPlan shrunk = DigestPlan.fromParent("c", 6 * MIB, List.of(), parent);
        assertEquals(bits(1), shrunk.toCompute(), "the chunk cut short");
        assertTrue(shrunk.table().matches(0, digestOf(parent, 0)));
    }

    @Test
    void aTableSurvivesItsStoredFormAndDamageToItIsDetected() {
        ChunkDigests table = filled("b", 10 * MIB + 17);
        table.setZero(1);
        byte[] bytes = table.toBytes();
        ChunkDigests back = ChunkDigests.parse(bytes, "test");
        assertEquals(table.count(), back.count());
        assertEquals(10 * MIB + 17, back.sizeBytes());
        assertTrue(back.isZero(1));
        assertTrue(back.matches(2, digestOf(table, 2)));
        assertArrayEquals(bytes, back.toBytes());
        for (int at : new int[] {3, bytes.length / 2, bytes.length - 1}) {
            byte[] damaged = bytes.clone();
            damaged[at] ^= 0x40;
            assertThrows(ChunkDigests.DigestsDamagedException.class, () -> ChunkDigests.parse(damaged, "test"));
        }
        assertThrows(IllegalStateException.class, () -> ChunkDigests.unknown("x", CHUNK, MIB).toBytes(),
                "an incomplete table is never stored");
    }

    @Test
    void hashingMatchesTheJdkAndTellsZerosApart() {
        ByteBuffer data = ByteBuffer.allocateDirect(CHUNK);
        byte[] random = new byte[CHUNK];
        new Random(5).nextBytes(random);
        data.put(random);
        ChunkDigests table = ChunkDigests.unknown("h", CHUNK, 2L * CHUNK);
        ChunkHashing.record(table, 0, data, 0, CHUNK);
        assertTrue(table.matches(0, Sha256.of(random)), "native and JDK SHA-256 agree (" + Sha256.implementation() + ")");
        ChunkHashing.record(table, 1, ByteBuffer.allocateDirect(CHUNK), 0, CHUNK);
        assertTrue(table.isZero(1));
        assertTrue(ChunkHashing.matches(table, 0, data, 0, CHUNK));
        data.put(100, (byte) (random[100] ^ 1));
        assertFalse(ChunkHashing.matches(table, 0, data, 0, CHUNK));
        assertFalse(ChunkHashing.matches(table, 1, data, 0, CHUNK), "data where zeros were recorded");
    }

    @Test
    void samplesAreRandomPartsOfTheAskedShareAndAWholeVerifyTakesAll() {
        assertEquals(100, ChunkSample.choose(100, 100, new Random(1)).length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int[] sample = ChunkSample.choose(100, 10, new Random(i));
            assertEquals(10, sample.length);
            assertEquals(10, Arrays.stream(sample).distinct().count());
            Arrays.stream(sample).forEach(seen::add);
        }
        assertEquals(100, seen.size(), "samples cover everything over time");
        assertEquals(1, ChunkSample.choose(1000, 0.001, new Random(1)).length, "at least one chunk");
    }

    private static ChunkDigests filled(String id, long size) {
        ChunkDigests table = ChunkDigests.unknown(id, CHUNK, size);
        for (int chunk = 0; chunk < table.count(); chunk++) {
            table.set(chunk, digestOf(id, chunk));
        }
        return table;
    }

    private static byte[] digestOf(ChunkDigests table, int chunk) {
        return digestOf(table.backupId(), chunk);
    }

    private static byte[] digestOf(String id, int chunk) {
        return Sha256.of((id + chunk).getBytes());
    }

    private static BitSet bits(int... set) {
        BitSet bits = new BitSet();
        for (int bit : set) {
            bits.set(bit);
        }
        return bits;
    }
}
