package io.cairn.ceph.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtentCopierTest {

    private static final int SIZE = 1 << 20;

    private static MemoryBlocks randomVolume(long seed) {
        MemoryBlocks volume = new MemoryBlocks(SIZE);
        new Random(seed).nextBytes(volume.bytes);
        // Some all-zero stretches, at block boundaries and across them.
        Arrays.fill(volume.bytes, 65536, 3 * 65536, (byte) 0);
        Arrays.fill(volume.bytes, 300_000, 500_000, (byte) 0);
        return volume;
    }

    @ParameterizedTest
    @CsvSource({"65536, 4", "4096, 1", "65536, 16", "100000, 3", "1048576, 2"})
    void copiesEveryByteIntoAnEmptyTarget(int ioSize, int parallelIos) {
        MemoryBlocks source = randomVolume(ioSize);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        CopyStats stats = new ExtentCopier(ioSize, parallelIos)
                .copy(List.of(new Extent(0, SIZE, true)), source, target, true, ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes);
        assertEquals(SIZE, stats.bytesRead());
        assertTrue(stats.bytesSkipped() >= 200_000, "zero stretches are skipped: " + stats.bytesSkipped());
        assertEquals(SIZE, stats.bytesWritten() + stats.bytesSkipped());
        assertTrue(target.log.stream().noneMatch(l -> l.startsWith("zero")), "an empty target is never zeroed");
        assertTrue(source.maxInFlight <= parallelIos, "at most parallel_ios reads: " + source.maxInFlight);
    }

    @ParameterizedTest
    @CsvSource({"65536, 4, true", "65536, 4, false", "4096, 1, true", "100000, 3, false", "65536, 16, false"})
    void iosThatEndOutOfOrderAreHandledAsTheyEndAndEveryByteArrives(int ioSize, int parallelIos, boolean emptyTarget) {
        MemoryBlocks source = randomVolume(ioSize + parallelIos);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        if (!emptyTarget) {
            Arrays.fill(target.bytes, (byte) 0x5a);
        }
        source.endOutOfOrder = true;
        target.endOutOfOrder = true;
        new ExtentCopier(ioSize, parallelIos)
                .copy(List.of(new Extent(0, SIZE, true)), source, target, emptyTarget, ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes);
        assertEquals(0, source.inFlight() + target.inFlight(), "every IO ended before the copy returned");
        assertTrue(source.maxInFlight <= parallelIos, "at most parallel_ios reads: " + source.maxInFlight);
    }

    @ParameterizedTest
    @CsvSource({"65536, 2, true", "65536, 2, false", "65536, 8, false", "16384, 1, false"})
    void smallBlocksShareBuffersSoMoreOfThemAreInFlightAndEveryByteArrives(int ioSize, int parallelIos,
            boolean emptyTarget) {
        MemoryBlocks source = randomVolume(ioSize - parallelIos);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        if (!emptyTarget) {
            Arrays.fill(target.bytes, (byte) 0x5a);
        }
        source.endOutOfOrder = true;
        target.endOutOfOrder = true;
        // 4 KiB here and there, as an incremental of scattered small writes finds them, and two whole blocks among
        // them, which take whole buffers.
        List<Extent> extents = new ArrayList<>();
        long wholeBlocks = 8L * ioSize;
        for (long offset = 0; offset < SIZE; offset += 12288) {
            if (offset >= wholeBlocks && offset < wholeBlocks + 2L * ioSize) {
                continue;
            }
            extents.add(new Extent(offset, Math.min(4096, SIZE - offset), true));
        }
        extents.add(new Extent(wholeBlocks, 2L * ioSize, true));
        extents.sort(java.util.Comparator.comparingLong(Extent::offset));
        byte[] expected = target.bytes.clone();
        for (Extent extent : extents) {
            System.arraycopy(source.bytes, (int) extent.offset(), expected, (int) extent.offset(), (int) extent.length());
        }

        new ExtentCopier(ioSize, parallelIos).copy(extents, source, target, emptyTarget, ProgressListener.NONE);

        assertArrayEquals(expected, target.bytes);
        assertEquals(0, source.inFlight() + target.inFlight(), "every IO ended before the copy returned");
        assertTrue(source.maxInFlight > parallelIos, "small blocks share buffers: " + source.maxInFlight + " reads");
        assertTrue(source.maxInFlight <= 4 * parallelIos, "at most 4 IOs per buffer: " + source.maxInFlight);
    }

    @Test
    void copiesOfOneSessionShareTwiceParallelIosOnceMoreThanTwoRun() {
        IoShare share = new IoShare(8);
        List<Integer> parts = new ArrayList<>();
        List<IoShare.Member> members = new ArrayList<>();
        for (int copies = 1; copies <= 6; copies++) {
            members.add(share.join());
            parts.add(share.part());
        }
        assertEquals(List.of(8, 8, 5, 4, 3, 2), parts, "one or two copies run as deep as before, more split 16");
        members.forEach(IoShare.Member::close);
        assertEquals(8, share.part());
        IoShare single = new IoShare(1);
        for (int i = 0; i < 4; i++) {
            single.join();
        }
        assertEquals(1, single.part(), "never more than parallel_ios, even where the smallest part is larger");

        // Three other operations of the session run: this one holds at most a quarter of 2 x 8 buffers, and its reads
        // never exceed them; every byte still arrives.
        for (int i = 0; i < 3; i++) {
            share.join();
        }
        IoShare.Member self = share.join();
        MemoryBlocks source = randomVolume(7);
        source.endOutOfOrder = true;
        MemoryBlocks target = new MemoryBlocks(SIZE);
        new ExtentCopier(65536, share).copy(List.of(new Extent(0, SIZE, true)), source, target, true,
                ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes);
        assertTrue(source.maxInFlight <= 4, "at most its part of the session's reads: " + source.maxInFlight);
        assertTrue(source.maxInFlight >= 2, "still IOs in flight: " + source.maxInFlight);
        self.close();
        assertEquals(3, share.copies(), "the operation left the share when it ended");
    }

    @Test
    void overwritesStaleDataWithZerosWhenTheTargetIsNotEmpty() {
        MemoryBlocks source = randomVolume(1);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        Arrays.fill(target.bytes, (byte) 0x5a);
        CopyStats stats = new ExtentCopier(65536, 4)
                .copy(List.of(new Extent(0, SIZE, true)), source, target, false, ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes);
        assertTrue(stats.bytesZeroed() >= 2 * 65536, "zero blocks are zeroed, not written");
        assertEquals(0, stats.bytesSkipped());
    }

    @Test
    void holesAreZeroedOnATargetWithDataAndSkippedOnAnEmptyOne() {
        MemoryBlocks source = randomVolume(2);
        List<Extent> extents = List.of(new Extent(0, 4096, true), new Extent(4096, 200_000, false),
                new Extent(204_096, 10, true));
        MemoryBlocks dirty = new MemoryBlocks(SIZE);
        Arrays.fill(dirty.bytes, (byte) 1);
        new ExtentCopier(65536, 2).copy(extents, source, dirty, false, ProgressListener.NONE);
        assertArrayEquals(Arrays.copyOfRange(source.bytes, 0, 4096), Arrays.copyOfRange(dirty.bytes, 0, 4096));
        assertTrue(allEqual(dirty.bytes, 4096, 204_096, (byte) 0), "the hole reads as zeros");
        assertArrayEquals(Arrays.copyOfRange(source.bytes, 204_096, 204_106),
                Arrays.copyOfRange(dirty.bytes, 204_096, 204_106));
        assertTrue(allEqual(dirty.bytes, 204_106, SIZE, (byte) 1), "outside the extents nothing is touched");

        MemoryBlocks empty = new MemoryBlocks(SIZE);
        CopyStats stats = new ExtentCopier(65536, 2).copy(extents, source, empty, true, ProgressListener.NONE);
        assertEquals(200_000, stats.bytesSkipped());
        assertTrue(empty.log.stream().noneMatch(l -> l.startsWith("zero")));
    }

    @Test
    void blocksAreAlignedToTheIoSize() {
        MemoryBlocks source = randomVolume(3);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        new ExtentCopier(65536, 4).copy(List.of(new Extent(60_000, 80_000, true)), source, target, true,
                ProgressListener.NONE);
        assertEquals(List.of("read 60000+5536", "read 65536+65536", "read 131072+8928"), source.log);
    }

    @Test
    void progressEndsAtTheTotal() {
        List<long[]> reports = new ArrayList<>();
        new ExtentCopier(65536, 4).copy(List.of(new Extent(0, SIZE, true)), randomVolume(4), new MemoryBlocks(SIZE),
                true, (done, total) -> reports.add(new long[] {done, total}));
        assertEquals(0, reports.get(0)[0]);
        long[] last = reports.get(reports.size() - 1);
        assertEquals(SIZE, last[0]);
        assertEquals(SIZE, last[1]);
    }

    @Test
    void aFailedIoFailsTheCopyOnlyAfterEveryIoInFlightEnded() {
        MemoryBlocks source = randomVolume(5);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        source.failAtOffset = 4 * 65536;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ExtentCopier(65536, 8)
                .copy(List.of(new Extent(0, SIZE, true)), source, target, true, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("injected"));
        assertEquals(0, source.inFlight(), "no read left running into a buffer we dropped");
        assertEquals(0, target.inFlight(), "no write left running from a buffer we dropped");
        assertTrue(target.log.stream().noneMatch(l -> l.equals("flush")), "a failed copy is not flushed as done");
    }

    @Test
    void zeroBlocksDetectsTheFirstNonZeroByteAnywhere() {
        ZeroBlocks zeros = new ZeroBlocks(8192, 65536);
        ByteBuffer block = ByteBuffer.allocateDirect(8192);
        assertTrue(zeros.isZero(block, 0, 8192));
        for (int position : new int[] {0, 1, 4095, 8191}) {
            block.put(position, (byte) 1);
            assertEquals(false, zeros.isZero(block, 0, 8192), "byte " + position);
            assertEquals(position >= 100, zeros.isZero(block, 0, 100), "only the first 100 bytes count");
            block.put(position, (byte) 0);
        }
    }

    @Test
    void dataRunsSkipOnlyZeroStretchesOfAtLeastTheMinimumHole() {
        int page = ZeroBlocks.GRANULE;
        ZeroBlocks zeros = new ZeroBlocks(64 * page, 4 * page);
        ByteBuffer block = ByteBuffer.allocateDirect(64 * page);
        assertEquals(List.of(), zeros.dataRuns(block, 64 * page), "all zeros: no data");
        block.put(0, (byte) 1);               // page 0
        block.put(2 * page + 5, (byte) 1);   // page 2: the 1-page gap stays inside the data
        block.put(10 * page, (byte) 1);      // page 10: a 7-page gap is a hole
        block.put(63 * page + 1, (byte) 1);  // the last page
        assertEquals(List.of(new ZeroBlocks.Run(0, 3 * page), new ZeroBlocks.Run(10 * page, 11 * page),
                new ZeroBlocks.Run(63 * page, 64 * page)), zeros.dataRuns(block, 64 * page));
        assertEquals(List.of(new ZeroBlocks.Run(0, 3 * page)), zeros.dataRuns(block, 8 * page),
                "a trailing zero stretch of the minimum hole is skipped");
        assertEquals(List.of(new ZeroBlocks.Run(0, 5 * page + 10)), zeros.dataRuns(block, 5 * page + 10),
                "a short trailing stretch, even a partial page, stays with the data");
    }

    @Test
    void sparseWritesInsideABlockAreWrittenAloneOnAnEmptyTarget() {
        MemoryBlocks source = new MemoryBlocks(SIZE);
        new Random(9).nextBytes(source.bytes);
        Arrays.fill(source.bytes, 4096, SIZE - 4096, (byte) 0);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        CopyStats stats = new ExtentCopier(SIZE, 1).copy(List.of(new Extent(0, SIZE, true)), source, target, true,
                ProgressListener.NONE);
        assertArrayEquals(source.bytes, target.bytes);
        assertEquals(8192, stats.bytesWritten(), "only the two data pages are written");
        assertEquals(List.of("write 0+4096", "write " + (SIZE - 4096) + "+4096", "flush"), target.log);
    }

    private static boolean allEqual(byte[] bytes, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != value) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @CsvSource({"65536, 4", "4096, 1", "100000, 3"})
    void anObserverSeesEveryBlockReadAndItsBufferStaysUntilItIsDone(int ioSize, int parallelIos) throws Exception {
        MemoryBlocks source = randomVolume(ioSize * 7L);
        MemoryBlocks target = new MemoryBlocks(SIZE);
        source.endOutOfOrder = true;
        byte[] seen = new byte[SIZE];
        List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService slow = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            ReadObserver observer = (offset, length, data) -> {
                java.util.concurrent.Future<?> later = slow.submit(() -> {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    // Read after the copy went on: the buffer must still hold this block.
                    byte[] bytes = new byte[length];
                    data.duplicate().position(0).get(bytes);
                    if (!Arrays.equals(bytes, Arrays.copyOfRange(source.bytes, (int) offset, (int) offset + length))) {
                        mismatches.add("block at " + offset + " changed before its observer was done");
                    }
                    System.arraycopy(bytes, 0, seen, (int) offset, length);
                });
                return new PendingIo() {
                    @Override
                    public void await() {
                        try {
                            later.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public boolean isDone() {
                        return later.isDone();
                    }
                };
            };
            new ExtentCopier(ioSize, parallelIos).copy(List.of(new Extent(0, SIZE, true)), source, target, true,
                    ProgressListener.NONE, observer);
        } finally {
            slow.shutdown();
        }
        assertEquals(List.of(), mismatches);
        assertArrayEquals(source.bytes, seen, "the observer saw every byte read");
        assertArrayEquals(source.bytes, target.bytes);
    }
}
