package io.cairn.host.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A schedule's retention: how many periods of each kind to keep a backup for.
 *
 * <p>Every count is optional; an absent count and 0 mean the same (the rule keeps nothing), exactly
 * as in Proxmox Backup Server. When every count is 0 no rule is set, and retention keeps everything:
 * an empty or mistyped retention section must never read as "delete all".
 *
 * @param keepLast    keep the newest N backups
 * @param keepHourly  keep the newest backup of each of the N most recent hours that have one
 * @param keepDaily   ... days
 * @param keepWeekly  ... ISO weeks
 * @param keepMonthly ... months
 * @param keepYearly  ... years
 */
public record RetentionRules(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
        int keepYearly) {

    /** No rule set: keep everything. */
    public static final RetentionRules KEEP_EVERYTHING = new RetentionRules(0, 0, 0, 0, 0, 0);

    public RetentionRules {
        requireNotNegative(keepLast, RetentionRule.LAST);
        requireNotNegative(keepHourly, RetentionRule.HOURLY);
        requireNotNegative(keepDaily, RetentionRule.DAILY);
        requireNotNegative(keepWeekly, RetentionRule.WEEKLY);
        requireNotNegative(keepMonthly, RetentionRule.MONTHLY);
        requireNotNegative(keepYearly, RetentionRule.YEARLY);
    }

    private static void requireNotNegative(int count, RetentionRule rule) {
        if (count < 0) {
            throw new IllegalArgumentException(rule.label() + " must not be negative, not " + count);
        }
    }

    /** How many periods {@code rule} keeps a backup for; 0 when the rule is not set. */
    public int count(RetentionRule rule) {
        Objects.requireNonNull(rule, "rule is null");
        return switch (rule) {
            case LAST -> keepLast;
            case HOURLY -> keepHourly;
            case DAILY -> keepDaily;
            case WEEKLY -> keepWeekly;
            case MONTHLY -> keepMonthly;
            case YEARLY -> keepYearly;
        };
    }

    /** The same rules with {@code rule} keeping {@code count} periods. */
    public RetentionRules with(RetentionRule rule, int count) {
        Objects.requireNonNull(rule, "rule is null");
        return new RetentionRules(
                rule == RetentionRule.LAST ? count : keepLast,
                rule == RetentionRule.HOURLY ? count : keepHourly,
                rule == RetentionRule.DAILY ? count : keepDaily,
                rule == RetentionRule.WEEKLY ? count : keepWeekly,
                rule == RetentionRule.MONTHLY ? count : keepMonthly,
                rule == RetentionRule.YEARLY ? count : keepYearly);
    }

    public RetentionRules withKeepLast(int count) {
        return with(RetentionRule.LAST, count);
    }

    public RetentionRules withKeepHourly(int count) {
        return with(RetentionRule.HOURLY, count);
    }

    public RetentionRules withKeepDaily(int count) {
        return with(RetentionRule.DAILY, count);
    }

    public RetentionRules withKeepWeekly(int count) {
        return with(RetentionRule.WEEKLY, count);
    }

    public RetentionRules withKeepMonthly(int count) {
        return with(RetentionRule.MONTHLY, count);
    }

    public RetentionRules withKeepYearly(int count) {
        return with(RetentionRule.YEARLY, count);
    }

    /** Whether no rule is set, so that everything is kept. */
    public boolean keepsEverything() {
        for (RetentionRule rule : RetentionRule.values()) {
            if (count(rule) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The rules that are set, as PBS prints them: {@code keep-last 3, keep-daily 7}; {@code keep everything}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (RetentionRule rule : RetentionRule.values()) {
            if (count(rule) > 0) {
                parts.add(rule.label() + " " + count(rule));
            }
        }
        return parts.isEmpty() ? "keep everything" : String.join(", ", parts);
    }
}
