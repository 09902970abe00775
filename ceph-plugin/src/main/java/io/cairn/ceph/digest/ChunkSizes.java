package io.cairn.ceph.digest;

/**
 * How large the chunks of a digest table are.
 *
 * <p>Small, because an incremental reads every chunk its diff touches whole, to hash the restore point's
 * chunk from the bytes it copies: with 4 MiB chunks a 64 KiB write cost a 4 MiB read, and a 1% incremental
 * of scattered 64 KiB writes read half its volume. With 64 KiB chunks it reads about what changed.
 *
 * <p>Bounded, because the table is read whole by the next incremental and written whole by each backup
 * (32 bytes a chunk): a new chain's chunk is the smallest power of two from {@value #SMALLEST} bytes up
 * that keeps its table at {@value #MOST_CHUNKS} entries (4 MiB, one RBD object) or fewer - 64 KiB up to
 * 8 GiB, 128 KiB up to 16 GiB, 1 MiB up to 128 GiB - but never larger than the image's object (at least
 * 4 MiB), the chunk of every table before chunks became smaller: a volume of more than 512 GiB keeps 4 MiB
 * chunks and a table that grows with it, as before (8 MiB for 1 TiB).
 *
 * <p>A chain keeps its chunk size, so that each incremental carries its parent's entries forward: while
 * the parent's chunk is at least what the volume's size calls for (tables of 4 MiB chunks written before
 * are, on every volume). When the volume grew past a bound (8 GiB to 9 GiB: 128 KiB chunks), the
 * incremental computes its table afresh in the larger chunk, reading the snapshot's data once, and the
 * chain goes on in that.
 */
public final class ChunkSizes {

    /** The smallest chunk: 16 file system pages, and the size of a typical small write. */
    public static final int SMALLEST = 64 << 10;
    /** The most entries of a new chain's table, unless its chunks would be larger than {@link #largest}. */
    public static final int MOST_CHUNKS = 1 << 17;
    /** The usual RBD object, and the chunk of every table written before chunks became smaller. */
    public static final int OBJECT = 4 << 20;

    private ChunkSizes() {
    }

    /** The chunk of a new table of a volume of {@code sizeBytes} whose image has objects of {@code objectSize}. */
    public static int forVolume(long sizeBytes, long objectSize) {
        long chunk = SMALLEST;
        while (chunk < largest(objectSize) && chunk * MOST_CHUNKS < sizeBytes) {
            chunk *= 2;
        }
        return (int) chunk;
    }

    /**
     * Whether an incremental of a volume now {@code sizeBytes} large keeps its parent's chunk size: unless
     * the volume grew so that the parent's chunks would make too large a table.
     */
    public static boolean keepsParents(int parentChunkSize, long sizeBytes, long objectSize) {
        return parentChunkSize >= forVolume(sizeBytes, objectSize);
    }

    /** The largest chunk: one object, at least {@link #OBJECT}. */
    static int largest(long objectSize) {
        return (int) Math.max(OBJECT, objectSize);
    }
}
