package io.cairn.ceph.digest;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Which chunks a verify checks: all of them, or a random part of about the share asked for (at least
 * one piece), chosen afresh each time so that repeated samples cover the whole restore point over time.
 *
 * <p>A sample is drawn in pieces of adjacent chunks - as many as one read holds ({@link ChunkReader#READ_SIZE},
 * aligned) - not chunk by chunk: a sample of small chunks scattered over the image would cost one small read
 * each, where a piece costs one read of an object.
 */
public final class ChunkSample {

    private ChunkSample() {
    }

    /**
     * @param count    chunks in the restore point
     * @param perPiece adjacent chunks drawn together (the first piece starts at chunk 0)
     * @param percent  more than 0, at most 100
     * @return the chosen chunk indexes, ascending (reads in offset order are cheapest)
     */
    public static int[] choose(int count, int perPiece, double percent, RandomGenerator random) {
        if (perPiece <= 0) {
            throw new IllegalArgumentException("perPiece " + perPiece);
        }
        if (percent >= 100 || count == 0) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int pieces = (count - 1) / perPiece + 1;
        int wanted = (int) Math.max(1, Math.min(pieces, Math.ceil(pieces * percent / 100)));
        int[] indexes = new int[pieces];
        Arrays.setAll(indexes, i -> i);
        // The first `wanted` places of a partial Fisher-Yates shuffle are a uniform random subset.
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(pieces - i);
            int swap = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indexes, wanted);
        Arrays.sort(chosen);
        return Arrays.stream(chosen)
                .flatMap(piece -> IntStream.range(piece * perPiece, Math.min(count, (piece + 1) * perPiece)))
                .toArray();
    }

    /** The chunks of {@code chunkSize} bytes one piece holds: as many as one read. */
    public static int chunksPerPiece(int chunkSize) {
        return ChunkReader.readSizeFor(chunkSize) / chunkSize;
    }
}
