package io.cairn.host.policy;

import io.cairn.api.option.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A schedule's verify rules: how much of each new backup to check right after it is stored, whether
 * against its source snapshot too, and how often every stored backup is verified in full.
 *
 * @param afterBackupPercent the share of each new backup checked right after it is stored, 0 to 100 (0:
 *                           none); a random part, so that samples of a volume cover it over time
 * @param compareSource      whether that check also compares the backup with its source snapshot, which
 *                           the newest backup of a volume still has
 * @param fullEvery          every stored backup of the schedule's volumes gets a full verify at least this
 *                           often: at each firing, those whose last full verify is older (or never was)
 */
public record VerifyRules(int afterBackupPercent, boolean compareSource, Optional<Duration> fullEvery) {

    /** No verification. */
    public static final VerifyRules NONE = new VerifyRules(0, false, Optional.empty());

    public VerifyRules {
        Objects.requireNonNull(fullEvery, "fullEvery is null");
        if (afterBackupPercent < 0 || afterBackupPercent > 100) {
            throw new IllegalArgumentException("after_backup must be 0 to 100, not " + afterBackupPercent);
        }
        if (fullEvery.isPresent() && (fullEvery.get().isNegative() || fullEvery.get().isZero())) {
            throw new IllegalArgumentException("full_every must be positive, not " + fullEvery.get());
        }
    }

    /** Whether anything is to be verified at all. */
    public boolean any() {
        return afterBackupPercent > 0 || fullEvery.isPresent();
    }

    /** As written in a schedule file: {@code after_backup 10%, compare_source, full_every 7d}; {@code none}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (afterBackupPercent > 0) {
            parts.add("after_backup " + afterBackupPercent + "%" + (compareSource ? ", compare_source" : ""));
        }
        fullEvery.ifPresent(every -> parts.add("full_every " + DurationText.format(every)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
