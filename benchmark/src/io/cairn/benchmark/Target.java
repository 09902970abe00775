package io.cairn.benchmark;

import java.util.Locale;

/**
 * A goal (of issue 5 or 16) and the figure measured against it.
 *
 * @param what     what is compared
 * @param measured the figure (a ratio, seconds or a size in MiB)
 * @param limit    the target
 * @param atMost   whether the figure must stay at or below the limit (else at or above)
 * @param unit     how to print both, e.g. "%.2f" or "%.0f MiB"
 */
record Target(String what, double measured, double limit, boolean atMost, String unit) {

    boolean met() {
        return atMost ? measured <= limit : measured >= limit;
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | " + unit + " | %s " + unit + " | %s |", what, measured,
                atMost ? "<=" : ">=", limit, met() ? "met" : "**missed**");
    }
}
