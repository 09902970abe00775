package io.cairn.ceph.digest;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Which chunks a verify checks: all of them, or a random part of about the share asked for (at least
 * one chunk), chosen afresh each time so that repeated samples cover the whole restore point over time.
 */
public final class ChunkSample {

    private ChunkSample() {
    }

    /**
     * @param count   chunks in the restore point
     * @param percent more than 0, at most 100
     * @return the chosen chunk indexes, ascending (reads in offset order are cheapest)
     */
    public static int[] choose(int count, double percent, RandomGenerator random) {
        if (percent >= 100 || count == 0) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int wanted = (int) Math.max(1, Math.min(count, Math.ceil(count * percent / 100)));
        int[] indexes = new int[count];
        Arrays.setAll(indexes, i -> i);
        // The first `wanted` places of a partial Fisher-Yates shuffle are a uniform random subset.
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(count - i);
            int swap = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indexes, wanted);
        Arrays.sort(chosen);
        return chosen;
    }
}
