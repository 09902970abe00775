package io.cairn.host.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps a run took, with what came of each and how long it took: printed when a run fails (with its
 * seed, so it can be run again) and summarised, time per kind of step, when it ends.
 */
final class StepLog {

    private final List<Entry> entries = new ArrayList<>();
    private Entry current;

    /** Starts step {@code number}; {@code kind} groups it in the timing summary. */
    void begin(int number, String kind, String description) {
        current = new Entry(number, kind, description, System.nanoTime());
        entries.add(current);
    }

    /** Adds what happened to the current step's line. */
    void note(String outcome) {
        current.outcomes.add(outcome);
    }

    void end() {
        current.seconds = (System.nanoTime() - current.startedNanos) / 1e9;
    }

    /** The number of the step begun last (a thorough check shares the number of the step before it). */
    int currentNumber() {
        return current == null ? 0 : current.number;
    }

    /** One line per step: number, description, outcome, seconds. */
    String render() {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(String.format("  #%d %s", entry.number, entry.description));
            if (!entry.outcomes.isEmpty()) {
                text.append(" -> ").append(String.join("; ", entry.outcomes));
            }
            text.append(entry.seconds >= 0 ? String.format(" (%.1f s)%n", entry.seconds) : " (unfinished)\n");
        }
        return text.toString();
    }

    /** Count, total and mean seconds per kind of step. */
    String timing() {
        Map<String, double[]> byKind = new TreeMap<>();
        for (Entry entry : entries) {
            double[] sums = byKind.computeIfAbsent(entry.kind, k -> new double[2]);
            sums[0]++;
            sums[1] += Math.max(entry.seconds, 0);
        }
        StringBuilder text = new StringBuilder();
        byKind.forEach((kind, sums) -> text.append(String.format("  %-18s %4d steps %8.1f s  %5.2f s/step%n", kind,
                (int) sums[0], sums[1], sums[1] / sums[0])));
        return text.toString();
    }

    private static final class Entry {
        private final int number;
        private final String kind;
        private final String description;
        private final long startedNanos;
        private final List<String> outcomes = new ArrayList<>();
        private double seconds = -1;

        Entry(int number, String kind, String description, long startedNanos) {
            this.number = number;
            this.kind = kind;
            this.description = description;
            this.startedNanos = startedNanos;
        }
    }
}
