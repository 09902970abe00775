package io.cairn.host.cli;

import io.cairn.api.option.ByteSize;
import java.util.Locale;

/**
 * The words and bar of a progress report, from bytes done, bytes in all and time elapsed. Pure, so
 * both displays (bar on a terminal, log lines otherwise) say the same thing.
 */
final class ProgressText {

    static final int BAR_WIDTH = 30;

    private ProgressText() {
    }

    /** {@code 512.0 MiB of 1.0 GiB (50%), 120.3 MiB/s}. */
    static String summary(long done, long total, long elapsedNanos) {
        StringBuilder text = new StringBuilder(ByteSize.human(done));
        if (total > 0) {
            text.append(" of ").append(ByteSize.human(total)).append(" (").append(percent(done, total)).append("%)");
        }
        text.append(", ").append(rate(done, elapsedNanos));
        return text.toString();
    }

    /** Average rate over the elapsed time: {@code 120.3 MiB/s}; {@code - B/s} before any time has passed. */
    static String rate(long bytes, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return "- B/s";
        }
        double perSecond = bytes / (elapsedNanos / 1e9);
        return ByteSize.human((long) perSecond) + "/s";
    }

    /** Whole percent, clamped to 0-100 (a total may grow while the backend learns more). */
    static int percent(long done, long total) {
        if (total <= 0) {
            return 0;
        }
        return (int) Math.max(0, Math.min(100, done * 100 / total));
    }

    /** {@code [##########--------------------]}. */
    static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
