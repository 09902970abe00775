package io.cairn.host.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What retention does with one backup, and why.
 *
 * @param backup  the backup
 * @param verdict keep it or remove it
 * @param rule    the retention rule that kept it, when one did
 * @param reason  why, in a few words: the rule ({@code keep-daily}), {@code ancestor of <id>},
 *                {@code newest available}, {@code in progress}, {@code error}, {@code not kept by any rule}...
 */
public record RetentionDecision(BackupEntry backup, Verdict verdict, Optional<RetentionRule> rule, String reason) {

    public RetentionDecision {
        Objects.requireNonNull(backup, "backup is null");
        Objects.requireNonNull(verdict, "verdict is null");
        Objects.requireNonNull(rule, "rule is null");
        Objects.requireNonNull(reason, "reason is null");
        if (rule.isPresent() && verdict != Verdict.KEEP) {
            throw new IllegalArgumentException("a rule can only keep a backup, not remove " + backup.id());
        }
    }

    static RetentionDecision keptBy(BackupEntry backup, RetentionRule rule) {
        return new RetentionDecision(backup, Verdict.KEEP, Optional.of(rule), rule.label());
    }

    static RetentionDecision keep(BackupEntry backup, String reason) {
        return new RetentionDecision(backup, Verdict.KEEP, Optional.empty(), reason);
    }

    static RetentionDecision remove(BackupEntry backup, String reason) {
        return new RetentionDecision(backup, Verdict.REMOVE, Optional.empty(), reason);
    }

    /** Whether the backup stays. */
    public boolean keep() {
        return verdict == Verdict.KEEP;
    }

    /** As {@code cairn prune} prints it: {@code keep (keep-daily)}, {@code remove (error)}. */
    public String label() {
        return verdict.label() + " (" + reason + ")";
    }

    /** Keep or remove. */
    public enum Verdict {
        KEEP,
        REMOVE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
