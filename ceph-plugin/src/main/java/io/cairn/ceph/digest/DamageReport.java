package io.cairn.ceph.digest;

import io.cairn.api.operation.VerifyResult.DamagedRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The damaged chunks a verify finds, from any thread, reported as byte ranges: adjacent chunks with the
 * same problem become one range.
 */
public final class DamageReport {

    private final List<DamagedRange> chunks = new ArrayList<>();

    public synchronized void add(long offset, long length, String problem) {
        chunks.add(new DamagedRange(offset, length, problem));
    }

    public synchronized boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** Every damaged range, in offset order, adjacent ones of the same problem joined. */
    public synchronized List<DamagedRange> ranges() {
        List<DamagedRange> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparingLong(DamagedRange::offset).thenComparing(DamagedRange::problem));
        List<DamagedRange> joined = new ArrayList<>();
        for (DamagedRange range : sorted) {
            DamagedRange last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (last != null && last.end() == range.offset() && last.problem().equals(range.problem())) {
                joined.set(joined.size() - 1, new DamagedRange(last.offset(), last.length() + range.length(),
                        last.problem()));
            } else {
                joined.add(range);
            }
        }
        return joined;
    }
}
