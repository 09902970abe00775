package io.cairn.ceph.digest;

import io.cairn.ceph.copy.Extent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which chunks of a new restore point must be read and hashed, and which are known without reading:
 * chunks nothing was ever written to are zeros, and an incremental's chunks that the diff since its
 * parent does not touch are the parent's (its restore point is the source snapshot byte for byte, and
 * so was the parent's).
 *
 * <p>Pure: extents and tables in, a table with the known entries filled and the set to compute out.
 */
public final class DigestPlan {

    private final ChunkDigests table;
    private final BitSet toCompute;
    private final String basis;

    private DigestPlan(ChunkDigests table, BitSet toCompute, String basis) {
        this.table = table;
        this.toCompute = toCompute;
        this.basis = basis;
    }

    /**
     * A restore point made from scratch (a full backup, or an incremental whose parent has no usable
     * digests): every chunk that holds allocated data is computed, every other chunk is zeros.
     *
     * @param allocated the snapshot's allocated extents (a diff from the beginning)
     */
    public static DigestPlan fromScratch(String backupId, int chunkSize, long sizeBytes, List<Extent> allocated,
                                         String basis) {
        ChunkDigests table = ChunkDigests.unknown(backupId, chunkSize, sizeBytes);
        BitSet toCompute = new BitSet(table.count());
        for (Extent extent : allocated) {
            if (extent.data()) {
                markTouched(table, toCompute, extent);
            }
        }
        for (int chunk = 0; chunk < table.count(); chunk++) {
            if (!toCompute.get(chunk)) {
                table.setZero(chunk);
            }
        }
        return new DigestPlan(table, toCompute, basis);
    }

    /**
     * An incremental restore point: the parent's entries for the chunks the diff leaves alone, zeros for
     * untouched chunks past the parent's end (the volume grew), and the rest to compute - chunks the
     * diff touches, and a chunk that straddles the parent's end. A chunk the diff only turned into a
     * hole from end to end is zeros without reading.
     *
     * @param changed the diff from the parent's snapshot, data and holes
     * @param parent  the parent's digests, of the same chunk size
     */
    public static DigestPlan fromParent(String backupId, long sizeBytes, List<Extent> changed, ChunkDigests parent) {
        int chunkSize = parent.chunkSize();
        ChunkDigests table = ChunkDigests.unknown(backupId, chunkSize, sizeBytes);
        BitSet toCompute = new BitSet(table.count());
        long[] holeBytes = new long[table.count()];
        for (Extent extent : changed) {
            if (extent.data()) {
                markTouched(table, toCompute, extent);
            } else {
                for (int chunk = table.chunkAt(extent.offset()); chunk < table.count()
                        && table.offsetOf(chunk) < extent.end(); chunk++) {
                    long start = Math.max(extent.offset(), table.offsetOf(chunk));
                    long end = Math.min(extent.end(), table.offsetOf(chunk) + table.lengthOf(chunk));
                    holeBytes[chunk] += Math.max(0, end - start);
                }
            }
        }
        for (int chunk = 0; chunk < table.count(); chunk++) {
            if (toCompute.get(chunk)) {
                continue;
            }
            long end = table.offsetOf(chunk) + table.lengthOf(chunk);
            if (holeBytes[chunk] >= table.lengthOf(chunk)) {
                table.setZero(chunk);
            } else if (holeBytes[chunk] > 0) {
                toCompute.set(chunk);
            } else if (end <= parent.sizeBytes() && chunk < parent.count()
                    && parent.lengthOf(chunk) == table.lengthOf(chunk)) {
                table.copyFrom(parent, chunk);
            } else if (table.offsetOf(chunk) >= parent.sizeBytes()) {
                table.setZero(chunk);
            } else {
                toCompute.set(chunk);
            }
        }
        return new DigestPlan(table, toCompute, "the parent's digests and the diff since it");
    }

    private static void markTouched(ChunkDigests table, BitSet toCompute, Extent extent) {
        int last = table.chunkAt(Math.min(extent.end(), table.sizeBytes()) - 1);
        for (int chunk = table.chunkAt(extent.offset()); chunk <= last && chunk < table.count(); chunk++) {
            toCompute.set(chunk);
        }
    }

    /** The table, with every entry known without reading filled in. */
    public ChunkDigests table() {
        return table;
    }

    /** The chunks still to read and hash. */
    BitSet toCompute() {
        return (BitSet) toCompute.clone();
    }

    /** How the known entries were found, for logs and notes. */
    String basis() {
        return basis;
    }

    /** The chunks to compute as whole-chunk data extents, adjacent ones joined: what a full copy reads. */
    public List<Extent> wholeChunks() {
        List<Extent> extents = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (int chunk = toCompute.nextSetBit(0); chunk >= 0; chunk = toCompute.nextSetBit(chunk + 1)) {
            long offset = table.offsetOf(chunk);
            if (offset != end) {
                if (start >= 0) {
                    extents.add(new Extent(start, end - start, true));
                }
                start = offset;
            }
            end = offset + table.lengthOf(chunk);
        }
        if (start >= 0) {
            extents.add(new Extent(start, end - start, true));
        }
        return extents;
    }

    /**
     * What an incremental copy reads: every chunk to compute whole (so that each is hashed from the
     * blocks copied), and the diff's holes that lie outside them, in offset order. Written through a
     * {@link io.cairn.ceph.copy.MaskedSink} of the diff, it changes on the base exactly what the diff
     * says.
     */
    public List<Extent> readPlan(List<Extent> diff) {
        List<Extent> chunks = wholeChunks();
        List<Extent> plan = new ArrayList<>(chunks);
        for (Extent hole : diff) {
            if (!hole.data()) {
                plan.addAll(outside(hole, chunks));
            }
        }
        plan.sort(java.util.Comparator.comparingLong(Extent::offset));
        return plan;
    }

    /** The parts of {@code extent} that no range of {@code ranges} (sorted, disjoint) covers. */
    private static List<Extent> outside(Extent extent, List<Extent> ranges) {
        List<Extent> parts = new ArrayList<>();
        long at = extent.offset();
        for (Extent range : ranges) {
            if (range.end() <= at || range.offset() >= extent.end()) {
                continue;
            }
            if (range.offset() > at) {
                parts.add(new Extent(at, range.offset() - at, extent.data()));
            }
            at = Math.max(at, range.end());
        }
        if (at < extent.end()) {
            parts.add(new Extent(at, extent.end() - at, extent.data()));
        }
        return parts;
    }
}
