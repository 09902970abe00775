package io.cairn.ceph.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.PendingIo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What is known without reading, what must be read, how large chunks are, how they are read and sampled, and
 * the stored form of a table - old tables of 4 MiB chunks included.
 */
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
        assertEquals(100, ChunkSample.choose(100, 1, 100, new Random(1)).length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int[] sample = ChunkSample.choose(100, 1, 10, new Random(i));
            assertEquals(10, sample.length);
            assertEquals(10, Arrays.stream(sample).distinct().count());
            Arrays.stream(sample).forEach(seen::add);
        }
        assertEquals(100, seen.size(), "samples cover everything over time");
        assertEquals(1, ChunkSample.choose(1000, 1, 0.001, new Random(1)).length, "at least one chunk");
    }

    @Test
    void smallChunksAreSampledInPiecesOfOneRead() {
        int perPiece = ChunkSample.chunksPerPiece(64 << 10);
        assertEquals(64, perPiece, "64 KiB chunks: 64 to a 4 MiB read");
        assertEquals(1, ChunkSample.chunksPerPiece(CHUNK));
        assertEquals(1, ChunkSample.chunksPerPiece(8 << 20), "a chunk larger than a read is a piece of its own");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            // 1000 chunks are 15 pieces of 64 and one of 40: a quarter is four pieces.
            int[] sample = ChunkSample.choose(1000, perPiece, 25, new Random(i));
            assertEquals(0, sample[0] % perPiece, "a piece starts at a read's boundary");
            for (int at = 0; at < sample.length; at++) {
                assertTrue(at % perPiece == 0 || sample[at] == sample[at - 1] + 1, "whole pieces, in order");
            }
            int pieces = (int) Arrays.stream(sample).filter(chunk -> chunk % perPiece == 0).count();
            assertEquals(4, pieces, Arrays.toString(sample));
            Arrays.stream(sample).forEach(seen::add);
        }
        assertEquals(1000, seen.size(), "samples cover everything over time, the short last piece too");
        assertEquals(10, ChunkSample.choose(10, perPiece, 0.001, new Random(1)).length,
                "at least one piece: here the whole restore point");
    }

    @Test
    void chunksAre64KiBUpTo8GiBAndGrowSoThatTheTableStaysBounded() {
        long gib = 1L << 30;
        assertEquals(64 << 10, ChunkSizes.forVolume(0, CHUNK));
        assertEquals(64 << 10, ChunkSizes.forVolume(gib, CHUNK));
        assertEquals(64 << 10, ChunkSizes.forVolume(8 * gib, CHUNK));
        assertEquals(128 << 10, ChunkSizes.forVolume(8 * gib + 1, CHUNK));
        assertEquals(128 << 10, ChunkSizes.forVolume(16 * gib, CHUNK));
        assertEquals(1 << 20, ChunkSizes.forVolume(100 * gib, CHUNK));
        assertEquals(CHUNK, ChunkSizes.forVolume(512 * gib, CHUNK));
        assertEquals(CHUNK, ChunkSizes.forVolume(1024 * gib, CHUNK), "never larger than the object: as before");
        assertEquals(8 << 20, ChunkSizes.forVolume(1024 * gib, 8 << 20), "an image of 8 MiB objects: one object");
        for (long size = MIB; size <= 512 * gib; size = size * 3 / 2) {
            int chunk = ChunkSizes.forVolume(size, CHUNK);
            assertTrue(ChunkDigests.unknown("s", chunk, size).count() <= ChunkSizes.MOST_CHUNKS, size + " in " + chunk);
            assertEquals(0, CHUNK % chunk, "a chunk divides the object, so every copy block holds whole chunks");
        }
    }

    @Test
    void aChainKeepsItsChunksUnlessTheVolumeOutgrewThem() {
        long gib = 1L << 30;
        assertTrue(ChunkSizes.keepsParents(CHUNK, gib, CHUNK), "an old table of 4 MiB chunks is carried forward");
        assertTrue(ChunkSizes.keepsParents(CHUNK, 2048 * gib, CHUNK), "and on the largest volume");
        assertTrue(ChunkSizes.keepsParents(64 << 10, 8 * gib, CHUNK));
        assertFalse(ChunkSizes.keepsParents(64 << 10, 8 * gib + 4 * MIB, CHUNK), "grown past 8 GiB: 128 KiB now");
        assertTrue(ChunkSizes.keepsParents(128 << 10, gib, CHUNK), "a shrunk volume keeps its larger chunks");
    }

    @Test
    void anOldTableOf4MiBChunksIsReadAndCarriedForwardInItsOwnChunks() {
        // The stored form as the first Cairn with digests wrote it, made here by hand: header, table, trailer.
        byte[] header = ("cairn-digests 1\nbackup_id old\nalgorithm sha256\nchunk_size 4194304\nsize_bytes "
                + 12 * MIB + "\nchunks 3\n\n").getBytes(StandardCharsets.US_ASCII);
        byte[] stored = new byte[header.length + 4 * Sha256.LENGTH];
        System.arraycopy(header, 0, stored, 0, header.length);
        for (int chunk = 0; chunk < 3; chunk++) {
            System.arraycopy(digestOf("old", chunk), 0, stored, header.length + chunk * Sha256.LENGTH, Sha256.LENGTH);
        }
        byte[] trailer = jdkSha256(Arrays.copyOf(stored, header.length + 3 * Sha256.LENGTH));
        System.arraycopy(trailer, 0, stored, header.length + 3 * Sha256.LENGTH, Sha256.LENGTH);

        ChunkDigests old = ChunkDigests.parse(stored, "old");
        assertEquals(CHUNK, old.chunkSize());
        assertArrayEquals(stored, old.toBytes(), "written back byte for byte");
        DigestPlan plan = DigestPlan.fromParent("next", 12 * MIB, List.of(new Extent(5 * MIB, 65536, true)), old);
        assertEquals(CHUNK, plan.table().chunkSize(), "the incremental keeps the parent's chunks");
        assertEquals(bits(1), plan.toCompute(), "the one 4 MiB chunk the write touched");
        assertTrue(plan.table().matches(0, digestOf("old", 0)) && plan.table().matches(2, digestOf("old", 2)));
    }

    @Test
    void aGrowthThatKeepsTheChunksComputesOnlyTheChunkAcrossTheOldEnd() {
        ChunkDigests parent = ChunkDigests.unknown("p", 64 << 10, 10 * MIB + 4096);
        for (int chunk = 0; chunk < parent.count(); chunk++) {
            parent.set(chunk, digestOf("p", chunk));
        }
        DigestPlan grown = DigestPlan.fromParent("c", 20 * MIB, List.of(), parent);
        assertEquals(64 << 10, grown.table().chunkSize());
        assertEquals(bits(160), grown.toCompute(), "the chunk that held 4 KiB and now holds 64 KiB");
        assertTrue(grown.table().isZero(161) && grown.table().isZero(319));
        assertTrue(grown.table().matches(159, digestOf("p", 159)));
    }

    @Test
    void chunkReadsJoinNeighboursInsideOneAlignedRead() {
        ChunkReader reader = new ChunkReader(64 << 10, 4, new Hashers(1));
        int k = 64 << 10;
        List<ChunkReader.Chunk> chunks = List.of(chunk(0, k), chunk(1, k), chunk(2, k), chunk(5, k), chunk(63, k),
                chunk(64, k), chunk(65, k), chunk(200, 100));
        List<List<Integer>> reads = reader.reads(chunks).stream()
                .map(read -> read.stream().map(ChunkReader.Chunk::index).toList()).toList();
        assertEquals(List.of(List.of(0, 1, 2), List.of(5), List.of(63), List.of(64, 65), List.of(200)), reads,
                "a gap or a 4 MiB boundary starts a new read");
    }

    @Test
    void smallChunksAreReadInObjectSizedReadsAndEachHashedFromItsOwnBytes() {
        int size = 10 * (int) MIB + 12345;
        byte[] image = new byte[size];
        new Random(9).nextBytes(image);
        Arrays.fill(image, (int) (3 * MIB), (int) (3 * MIB) + (64 << 10), (byte) 0);
        List<String> reads = new ArrayList<>();
        BlockSource source = (offset, length, buffer) -> {
            synchronized (reads) {
                reads.add(offset + "+" + length);
            }
            buffer.duplicate().position(0).put(image, (int) offset, length);
            return PendingIo.DONE;
        };
        DigestPlan plan = DigestPlan.fromScratch("s", 64 << 10, size, List.of(new Extent(0, size, true)), "test");
        ChunkDigests table;
        try (Hashers hashers = new Hashers(2)) {
            table = new DigestRecorder(plan, hashers).finish(source, new ChunkReader(64 << 10, 3, hashers),
                    ProgressListener.NONE);
        }
        assertEquals(List.of("0+4194304", "4194304+4194304", "8388608+" + (size - 8 * MIB)), reads);
        for (int chunk = 0; chunk < table.count(); chunk++) {
            int from = (int) table.offsetOf(chunk);
            byte[] bytes = Arrays.copyOfRange(image, from, from + table.lengthOf(chunk));
            if (chunk == 48) {
                assertTrue(table.isZero(chunk), "the chunk of zeros");
            } else {
                assertTrue(table.matches(chunk, jdkSha256(bytes)), "chunk " + chunk);
            }
        }
    }

    @Test
    void arraysAreHashedNativelyAsTheJdkDoes() {
        byte[] data = new byte[3 * (int) MIB + 5];
        new Random(11).nextBytes(data);
        assertEquals("libcrypto", Sha256.implementation(), "librados brings libcrypto: the native path is the one tested");
        assertArrayEquals(jdkSha256(data), Sha256.of(data));
        assertArrayEquals(jdkSha256(Arrays.copyOf(data, 1000)), Sha256.of(data, 1000));
    }

    private static ChunkReader.Chunk chunk(int index, int length) {
        return new ChunkReader.Chunk(index, (long) index * (64 << 10), length);
    }

    private static byte[] jdkSha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
