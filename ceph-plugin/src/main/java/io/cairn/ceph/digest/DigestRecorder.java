package io.cairn.ceph.digest;

import io.cairn.api.ProgressListener;
import io.cairn.ceph.copy.BlockSource;
import io.cairn.ceph.copy.PendingIo;
import io.cairn.ceph.copy.ReadObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Fills a {@link DigestPlan}'s table while a backup is copied, and reads what the copy did not see.
 *
 * <p>As a {@link ReadObserver} of the copy it hashes, on the {@link Hashers}, every chunk to compute
 * that a block read for the copy holds whole. A full backup reads whole chunks (see
 * {@link DigestPlan#wholeChunks()}), so it sees all of them; an incremental reads only the changed
 * extents, and the chunks they touch in part are read whole afterwards from the source snapshot
 * ({@link #finish}) - that second read is what digests cost an incremental.
 */
public final class DigestRecorder implements ReadObserver {

    private final ChunkDigests table;
    private final BitSet pending;
    private final Hashers hashers;

    public DigestRecorder(DigestPlan plan, Hashers hashers) {
        this.table = plan.table();
        this.pending = plan.toCompute();
        this.hashers = hashers;
    }

    @Override
    public PendingIo observe(long offset, int length, ByteBuffer data) {
        List<Integer> whole = new ArrayList<>(1);
        synchronized (pending) {
            for (int chunk = table.chunkAt(offset); chunk < table.count() && table.offsetOf(chunk) < offset + length;
                    chunk++) {
                long start = table.offsetOf(chunk);
                if (start >= offset && start + table.lengthOf(chunk) <= offset + length && pending.get(chunk)) {
                    pending.clear(chunk);
                    whole.add(chunk);
                }
            }
        }
        if (whole.isEmpty()) {
            return PendingIo.DONE;
        }
        return hashers.submit(() -> {
            for (int chunk : whole) {
                ChunkHashing.record(table, chunk, data, (int) (table.offsetOf(chunk) - offset), table.lengthOf(chunk));
            }
        });
    }

    /** Bytes of the chunks the copy did not hold whole: what {@link #finish} reads. */
    public long bytesLeft() {
        synchronized (pending) {
            long bytes = 0;
            for (int chunk = pending.nextSetBit(0); chunk >= 0; chunk = pending.nextSetBit(chunk + 1)) {
                bytes += table.lengthOf(chunk);
            }
            return bytes;
        }
    }

    /**
     * Reads and hashes the chunks the copy did not hold whole, from {@code source} (the snapshot the
     * backup was made from), and returns the complete table.
     */
    public ChunkDigests finish(BlockSource source, ChunkReader reader, ProgressListener progress) {
        List<ChunkReader.Chunk> chunks = new ArrayList<>();
        synchronized (pending) {
            for (int chunk = pending.nextSetBit(0); chunk >= 0; chunk = pending.nextSetBit(chunk + 1)) {
                chunks.add(new ChunkReader.Chunk(chunk, table.offsetOf(chunk), table.lengthOf(chunk)));
            }
            pending.clear();
        }
        if (!chunks.isEmpty()) {
            reader.read(chunks, source, new ChunkReader.ChunkWork() {
                @Override
                public void read(ChunkReader.Chunk chunk, ByteBuffer data) {
                    ChunkHashing.record(table, chunk.index(), data, 0, chunk.length());
                }

                @Override
                public void failed(ChunkReader.Chunk chunk, RuntimeException error) {
                    throw error;
                }
            }, progress);
        }
        if (!table.isComplete()) {
            throw new IllegalStateException("digests of backup " + table.backupId() + " are incomplete after reading");
        }
        return table;
    }
}
