package io.cairn.ceph.digest;

import io.cairn.api.ProgressListener;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.PendingIo;
import io.cairn.ceph.copy.ProgressMeter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads chunks of an image with {@code parallelIos} reads in flight and hands each one, as soon as it
 * has been read, to the {@link Hashers}, so that reading and hashing overlap and several cores hash.
 *
 * <p>Adjacent chunks are read together, up to {@value #READ_SIZE} bytes (one RBD object of the usual size)
 * or one chunk when chunks are larger, in reads aligned to that size: a 64 KiB chunk is the unit of a
 * digest, not of an IO - the OSD serves one 4 MiB read far faster than 64 reads of 64 KiB. Memory is
 * {@code parallelIos} buffers of one read, whatever the image's size: a buffer goes back to reading once
 * its chunks have been hashed.
 *
 * <p>Reads are handled in the order they finish (as the copy engine does), so one slow object does
 * not hold up the others.
 */
public final class ChunkReader {

    /** The longest read of chunks smaller than it, and the alignment of reads. */
    public static final int READ_SIZE = 4 << 20;

    /** Longest wait for a hashing thread to hand back a buffer before checking again that none failed. */
    private static final long POLL_MILLIS = 200;

    private final int readSize;
    private final int parallelIos;
    private final Hashers hashers;

    /**
     * @param chunkSize   the largest chunk
     * @param parallelIos reads in flight at once (and buffers)
     * @param hashers     where chunks are hashed
     */
    public ChunkReader(int chunkSize, int parallelIos, Hashers hashers) {
        if (chunkSize <= 0 || parallelIos <= 0) {
            throw new IllegalArgumentException("chunkSize and parallelIos must be positive");
        }
        this.readSize = readSizeFor(chunkSize);
        this.parallelIos = parallelIos;
        this.hashers = hashers;
    }

    /** The bytes one read covers at most, for chunks of {@code chunkSize}. */
    public static int readSizeFor(int chunkSize) {
        return Math.max(chunkSize, READ_SIZE);
    }

    /** One chunk to read: its index in a digest table and its byte range. */
    public record Chunk(int index, long offset, int length) {

        long end() {
            return offset + length;
        }
    }

    /** What happens to each chunk. */
    public interface ChunkWork {

        /** Called on a hashing thread with the chunk's bytes in {@code data}, from position 0. */
        void read(Chunk chunk, ByteBuffer data);

        /**
         * Called on the reading thread when a chunk could not be read (every chunk of a read that failed).
         * Throwing stops the whole read (after every read in flight has ended); returning goes on with the
         * next chunk.
         */
        void failed(Chunk chunk, RuntimeException error);
    }

    /**
     * Reads every chunk and waits until each has been handed to {@code work}.
     *
     * @param chunks in offset order, as reads join neighbours
     * @throws RuntimeException what {@code work} threw, after every read and hash in flight has ended
     */
    public void read(List<Chunk> chunks, BlockSource source, ChunkWork work, ProgressListener progress) {
        long total = 0;
        for (Chunk chunk : chunks) {
            if (chunk.length() > readSize) {
                throw new IllegalArgumentException("chunk of " + chunk.length() + " bytes is larger than " + readSize);
            }
            total += chunk.length();
        }
        new Run(source, work, new ProgressMeter(progress, total)).readAll(reads(chunks));
    }

    /** The chunks joined into reads: neighbours inside one aligned stretch of {@link #readSize} bytes. */
    List<List<Chunk>> reads(List<Chunk> chunks) {
        List<List<Chunk>> reads = new ArrayList<>();
        List<Chunk> current = null;
        for (Chunk chunk : chunks) {
            if (current != null) {
                Chunk first = current.get(0);
                Chunk last = current.get(current.size() - 1);
                if (last.end() == chunk.offset() && first.offset() / readSize == (chunk.end() - 1) / readSize) {
                    current.add(chunk);
                    continue;
                }
            }
            current = new ArrayList<>();
            current.add(chunk);
            reads.add(current);
        }
        return reads;
    }

    /** One read over a list of chunks. */
    private final class Run {
        private final BlockSource source;
        private final ChunkWork work;
        private final ProgressMeter progress;
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(parallelIos);
        private final Deque<Reading> reading = new ArrayDeque<>();
        private final Deque<PendingIo> hashing = new ArrayDeque<>();
        private int allocated;

        Run(BlockSource source, ChunkWork work, ProgressMeter progress) {
            this.source = source;
            this.work = work;
            this.progress = progress;
        }

        void readAll(List<List<Chunk>> reads) {
            try {
                for (List<Chunk> chunks : reads) {
                    ByteBuffer buffer = takeBuffer();
                    long offset = chunks.get(0).offset();
                    int length = (int) (chunks.get(chunks.size() - 1).end() - offset);
                    reading.add(new Reading(chunks, offset, length, buffer, source.read(offset, length, buffer)));
                    handOverEnded(false);
                }
                while (!reading.isEmpty()) {
                    handOverEnded(true);
                }
                while (!hashing.isEmpty()) {
                    hashing.poll().await();
                }
            } catch (RuntimeException e) {
                abandon(e);
                throw e;
            }
            progress.finish();
        }

        private ByteBuffer takeBuffer() {
            while (true) {
                forgetFinishedHashing();
                ByteBuffer buffer = free.poll();
                if (buffer != null) {
                    return buffer;
                }
                if (allocated < parallelIos) {
                    allocated++;
                    return ByteBuffer.allocateDirect(readSize);
                }
                if (!reading.isEmpty()) {
                    handOverEnded(true);
                    continue;
                }
                try {
                    buffer = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading chunks", e);
                }
                if (buffer != null) {
                    return buffer;
                }
            }
        }

        /** Hands every ended read over to hashing; when none has ended and {@code wait}, waits for the oldest. */
        private void handOverEnded(boolean wait) {
            boolean any = false;
            for (Iterator<Reading> it = reading.iterator(); it.hasNext(); ) {
                Reading next = it.next();
                if (next.pending.isDone()) {
                    it.remove();
                    handOver(next);
                    any = true;
                }
            }
            if (!any && wait && !reading.isEmpty()) {
                handOver(reading.poll());
            }
        }

        private void handOver(Reading ended) {
            try {
                ended.pending.await();
            } catch (RuntimeException e) {
                free.add(ended.buffer);
                for (Chunk chunk : ended.chunks) {
                    work.failed(chunk, e);
                }
                progress.advance(ended.length);
                return;
            }
            progress.advance(ended.length);
            hashing.add(hashers.submit(() -> {
                try {
                    for (Chunk chunk : ended.chunks) {
                        work.read(chunk, ended.buffer.slice((int) (chunk.offset() - ended.offset), chunk.length()));
                    }
                } finally {
                    free.add(ended.buffer);
                }
            }));
        }

        /** Surfaces a failed hash early, and keeps the list of hashes in flight short. */
        private void forgetFinishedHashing() {
            while (!hashing.isEmpty() && hashing.peek().isDone()) {
                hashing.poll().await();
            }
        }

        /**
         * Gives up on the reads in flight - one of a stalled cluster may never end; each keeps its buffer
         * until it does (see {@link PendingIo#abandon}) - and waits for the hashes, which always end.
         */
        private void abandon(RuntimeException cause) {
            for (Reading each : reading) {
                if (each.pending.isDone()) {
                    try {
                        each.pending.await();
                    } catch (RuntimeException suppressed) {
                        cause.addSuppressed(suppressed);
                    }
                } else {
                    each.pending.abandon();
                }
            }
            reading.clear();
            for (PendingIo each : hashing) {
                try {
                    each.await();
                } catch (RuntimeException suppressed) {
                    if (suppressed != cause) {
                        cause.addSuppressed(suppressed);
                    }
                }
            }
            hashing.clear();
        }
    }

    /** A read in flight: the chunks it covers, its byte range and its buffer. */
    private record Reading(List<Chunk> chunks, long offset, int length, ByteBuffer buffer, PendingIo pending) {
    }
}
