package io.cairn.host.policy;

import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which backups of one volume to keep and which to remove: a pure function of the volume's
 * history, the schedule's {@link RetentionRules}, its time zone and how the backend's restore points
 * depend on each other.
 *
 * <h2>The rules, as Proxmox Backup Server applies them</h2>
 * The available backups are sorted newest first ({@link BackupEntry#NEWEST_FIRST}). The rules then run
 * in the order {@code keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly}; a rule
 * with count N walks the backups newest first and
 * <ul>
 *   <li>skips every backup an earlier rule has already marked, kept or removed;</li>
 *   <li>skips every backup whose period already holds a backup kept by an earlier rule (that period is
 *       covered; the rule does not count it);</li>
 *   <li>keeps the first backup of each new period, until it has kept N, and then stops;</li>
 *   <li>marks as removed every further backup of a period it has just kept a backup of.</li>
 * </ul>
 * Whatever no rule kept is removed. Periods are those of {@link RetentionRule}: local wall-clock
 * hours, days, ISO weeks, months and years in the given time zone; keep-last counts backups.
 *
 * <p>This is a port of {@code mark_selections} and {@code compute_prune_info} in proxmox-backup's
 * {@code pbs-datastore/src/prune.rs}, and of the same algorithm in its prune simulator
 * ({@code docs/prune-simulator}), whose documentation puts it so: "The retention options are processed
 * in the order given above. Each option only covers backups within its time period. The next option
 * does not take care of already covered backups. It will only consider older backups." It differs from
 * borg's {@code prune_split} (borg 1.2 and later) in two corner cases: borg keeps the oldest archive
 * when a rule cannot fill its count ({@code yearly[oldest]}), which PBS and Cairn do not; and borg looks
 * only at the newest archive of each period, where PBS looks at every backup not marked yet.
 *
 * <h2>What Cairn adds</h2>
 * <ol>
 *   <li><b>No rule set keeps everything</b> (reason {@code no retention rule}), as in PBS.</li>
 *   <li><b>Only available backups count.</b> A {@code creating} backup is kept (reason
 *       {@code in progress}): it is either running - and then its parent must stay too, see 4 - or was
 *       left by a crash, which the host's start-up recovery cleans up through the backend; retention does
 *       not race either. An {@code error} backup is removed (reason {@code error}): it is no restore
 *       point, and removing it clears whatever the backend left. A {@code deleting} backup is removed
 *       (reason {@code deleting}): its delete is to be finished. A {@code deleted} one is already gone and
 *       gets no decision, nor does an {@code expiring} one (deleted, its grace running). A {@code corrupt}
 *       backup is kept (reason {@code corrupt}) without counting for any rule: it is damaged, so it is
 *       no good restore point, and whether to remove it is an operator's call. A {@code foreign} backup
 *       (another tool's, imported) is kept the same way: it is not Cairn's to remove. Unlike PBS, which keeps the newest unfinished backup as {@code keep-partial},
 *       none of these is counted by a rule, so a failed night never pushes a good backup out.</li>
 *   <li><b>The newest available backup is never removed</b> (reason {@code newest available}). The
 *       rules above already keep it whenever any rule is set; this states the guarantee on its own.</li>
 *   <li><b>The parent of a backup in progress is kept</b> (reason {@code parent of in-progress <id>}),
 *       whatever the backend: the running transfer reads from it.</li>
 *   <li><b>Ancestors of kept backups are kept</b> when the backend's backups
 *       {@link RestorePointDependency#DEPENDS_ON_PARENT depend on their parent}: every available backup
 *       on the parent chain of a kept one stays (reason {@code ancestor of <id>}, naming the newest kept
 *       descendant). These extra keeps do not count towards any rule. A chain that is already broken (an
 *       ancestor missing or not available) is followed no further. For
 *       {@link RestorePointDependency#INDEPENDENT independent} restore points nothing extra is kept.</li>
 *   <li><b>Ties</b> - backups taken at the same instant - are ordered by id (the greater id counts as
 *       newer), so the same history always gives the same decisions. keep-last counts each of them.</li>
 * </ol>
 *
 * <p>The decision does not depend on the current time: like PBS, a rule counts periods that hold a
 * backup, not calendar periods back from today, so a host that was down for a month does not come back
 * and prune everything older than a week.
 */
public final class RetentionPolicy {

    static final String NO_RULE = "no retention rule";
    static final String NOT_KEPT = "not kept by any rule";
    static final String NEWEST_AVAILABLE = "newest available";
    static final String IN_PROGRESS = "in progress";
    static final String PARENT_OF_IN_PROGRESS = "parent of in-progress ";
    static final String ANCESTOR_OF = "ancestor of ";
    static final String CORRUPT = "corrupt: left to an operator";
    static final String FOREIGN = "another tool's: not Cairn's to remove";

    private RetentionPolicy() {
    }

    /**
     * Decides on every backup of one volume.
     *
     * @param history    every backup of the volume, in any order, ids unique; deleted ones may be included
     * @param rules      the schedule's retention
     * @param timeZone   the zone whose wall clock defines hours, days, weeks, months and years
     * @param dependency whether a backup of this backend needs its parent to be restored
     * @return one decision for every backup that is not deleted, newest first
     * @throws IllegalArgumentException if two entries have the same id
     */
    public static RetentionPlan evaluate(List<BackupEntry> history, RetentionRules rules, ZoneId timeZone,
            RestorePointDependency dependency) {
        Objects.requireNonNull(history, "history is null");
        Objects.requireNonNull(rules, "rules is null");
        Objects.requireNonNull(timeZone, "timeZone is null");
        Objects.requireNonNull(dependency, "dependency is null");

        Map<BackupId, BackupEntry> byId = BackupEntry.byId(history);
        List<BackupEntry> existing = history.stream()
                .filter(entry -> entry.status() != BackupStatus.DELETED && entry.status() != BackupStatus.EXPIRING)
                .sorted(BackupEntry.NEWEST_FIRST)
                .toList();
        List<BackupEntry> available = existing.stream().filter(BackupEntry::isAvailable).toList();

        Map<BackupId, RetentionDecision> decisions = new HashMap<>();
        for (BackupEntry entry : existing) {
            switch (entry.status()) {
                case CREATING -> decisions.put(entry.id(), RetentionDecision.keep(entry, IN_PROGRESS));
                case ERROR -> decisions.put(entry.id(), RetentionDecision.remove(entry, "error"));
                case DELETING -> decisions.put(entry.id(), RetentionDecision.remove(entry, "deleting"));
                case CORRUPT -> decisions.put(entry.id(), RetentionDecision.keep(entry, CORRUPT));
                case FOREIGN -> decisions.put(entry.id(), RetentionDecision.keep(entry, FOREIGN));
                case AVAILABLE, DELETED, EXPIRING -> {
                    // available: decided by the rules below; deleted and expiring: filtered out above
                }
            }
        }

        if (rules.keepsEverything()) {
            available.forEach(entry -> decisions.put(entry.id(), RetentionDecision.keep(entry, NO_RULE)));
        } else {
            for (RetentionRule rule : RetentionRule.values()) {
                markSelections(available, rule, rules.count(rule), timeZone, decisions);
            }
            available.forEach(entry -> decisions.putIfAbsent(entry.id(), RetentionDecision.remove(entry, NOT_KEPT)));
        }

        if (!available.isEmpty()) {
            BackupEntry newest = available.get(0);
            keepIfRemoved(newest, NEWEST_AVAILABLE, decisions);
        }

        for (BackupEntry entry : existing) {
            if (entry.status() == BackupStatus.CREATING && entry.parent().isPresent()) {
                BackupEntry parent = byId.get(entry.parent().get());
                if (parent != null && parent.isAvailable()) {
                    keepIfRemoved(parent, PARENT_OF_IN_PROGRESS + entry.id(), decisions);
                }
            }
        }

        if (dependency == RestorePointDependency.DEPENDS_ON_PARENT) {
            keepAncestors(existing, byId, decisions);
        }

        List<RetentionDecision> ordered = new ArrayList<>(existing.size());
        existing.forEach(entry -> ordered.add(decisions.get(entry.id())));
        return new RetentionPlan(ordered);
    }

    /**
     * One rule over the available backups, newest first: PBS's {@code mark_selections}. A backup that any
     * earlier rule marked (kept or removed) is passed over, as is one whose period already holds a backup
     * kept by an earlier rule.
     */
    private static void markSelections(List<BackupEntry> newestFirst, RetentionRule rule, int count, ZoneId timeZone,
            Map<BackupId, RetentionDecision> decisions) {
        if (count == 0) {
            return;
        }
        Set<Object> coveredByEarlierRules = new HashSet<>();
        for (BackupEntry entry : newestFirst) {
            RetentionDecision decision = decisions.get(entry.id());
            if (decision != null && decision.keep()) {
                coveredByEarlierRules.add(rule.periodOf(entry, timeZone));
            }
        }
        Set<Object> keptPeriods = new HashSet<>();
        for (BackupEntry entry : newestFirst) {
            if (decisions.containsKey(entry.id())) {
                continue;
            }
            Object period = rule.periodOf(entry, timeZone);
            if (coveredByEarlierRules.contains(period)) {
                continue;
            }
            if (keptPeriods.contains(period)) {
                decisions.put(entry.id(), RetentionDecision.remove(entry, NOT_KEPT));
            } else {
                if (keptPeriods.size() >= count) {
                    return;
                }
                keptPeriods.add(period);
                decisions.put(entry.id(), RetentionDecision.keptBy(entry, rule));
            }
        }
    }

    /**
     * Walks up the parent chain of every kept backup, newest first, and keeps each available ancestor.
     * A backup whose ancestors have been walked once is not walked again, so this is linear in the history.
     */
    private static void keepAncestors(List<BackupEntry> newestFirst, Map<BackupId, BackupEntry> byId,
            Map<BackupId, RetentionDecision> decisions) {
        Set<BackupId> walked = new HashSet<>();
        for (BackupEntry descendant : newestFirst) {
            if (!decisions.get(descendant.id()).keep()) {
                continue;
            }
            BackupEntry current = descendant;
            while (current.parent().isPresent()) {
                BackupId parentId = current.parent().get();
                if (!walked.add(parentId)) {
                    break; // reached from a newer kept backup already: its ancestors are kept
                }
                BackupEntry parent = byId.get(parentId);
                if (parent == null || !parent.isAvailable()) {
                    break; // the chain is broken here already; nothing above can make it restorable
                }
                keepIfRemoved(parent, ANCESTOR_OF + descendant.id(), decisions);
                current = parent;
            }
        }
    }

    private static void keepIfRemoved(BackupEntry entry, String reason, Map<BackupId, RetentionDecision> decisions) {
        if (!decisions.get(entry.id()).keep()) {
            decisions.put(entry.id(), RetentionDecision.keep(entry, reason));
        }
    }
}
