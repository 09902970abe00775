package io.cairn.host.schedule;

import io.cairn.host.policy.ChainRules;
import io.cairn.host.policy.RetentionRules;
import io.cairn.host.policy.VerifyRules;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One schedule, from {@code conf/schedules/<name>.yaml}, checked: when to back up which volumes of
 * which cluster, when to start a new chain, and what to keep.
 *
 * @param name      the file name without {@code .yaml}; names the Quartz job and trigger
 * @param file      the file, for messages
 * @param cluster   the cluster whose volumes are backed up
 * @param volumes   volumes by name and pool patterns, in file order
 * @param cron      a Quartz cron expression (seconds first: {@code 0 30 2 * * ?} is 02:30 every day)
 * @param timeZone  the zone the cron expression and the retention periods are read in
 * @param chain     when a backup starts a new chain
 * @param retention what to keep after each backup
 * @param labels    labels every backup of this schedule carries (with {@code schedule: <name>})
 * @param verify    what to verify after each backup, and how often every backup in full
 * @param sets      groups and lists of volumes backed up together, each as one backup set, in file order
 *                  (entries {@code - group: ...} and {@code - together: [...]} of {@code volumes:})
 */
public record Schedule(String name, Path file, String cluster, List<VolumeSelector> volumes, String cron,
        ZoneId timeZone, ChainRules chain, RetentionRules retention, Map<String, String> labels, VerifyRules verify,
        List<SetSelector> sets) {

    /** The label every scheduled backup carries, naming its schedule. */
    public static final String SCHEDULE_LABEL = "schedule";
    /**
     * The label every scheduled backup carries, naming the firing that made it by its due time (ISO-8601 UTC):
     * with several hosts, a firing must back each volume up once, and the labels show it did.
     */
    public static final String FIRING_LABEL = "firing";

    public Schedule {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(cluster, "cluster is null");
        volumes = List.copyOf(Objects.requireNonNull(volumes, "volumes is null"));
        Objects.requireNonNull(cron, "cron is null");
        Objects.requireNonNull(timeZone, "timeZone is null");
        Objects.requireNonNull(chain, "chain is null");
        Objects.requireNonNull(retention, "retention is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(verify, "verify is null");
        sets = List.copyOf(Objects.requireNonNull(sets, "sets is null"));
        if (volumes.isEmpty() && sets.isEmpty()) {
            throw new IllegalArgumentException("schedule " + name + " selects no volume");
        }
    }

    /** A schedule of volumes backed up one by one. */
    public Schedule(String name, Path file, String cluster, List<VolumeSelector> volumes, String cron,
            ZoneId timeZone, ChainRules chain, RetentionRules retention, Map<String, String> labels) {
        this(name, file, cluster, volumes, cron, timeZone, chain, retention, labels, VerifyRules.NONE, List.of());
    }

    /** Every entry of {@code volumes:} as written: names, patterns, then sets ({@code group: ...}, {@code together: [...]}). */
    public List<String> entries() {
        List<String> entries = new java.util.ArrayList<>(volumes.stream().map(VolumeSelector::text).toList());
        sets.forEach(set -> entries.add(set.toString()));
        return entries;
    }

    /** The labels a backup taken by this schedule gets: the file's, and {@code schedule: <name>}. */
    public Map<String, String> backupLabels() {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(SCHEDULE_LABEL, name);
        return all;
    }

    /** The labels of a backup taken by the firing due at {@code due}: {@link #backupLabels()} and {@code firing}. */
    public Map<String, String> backupLabels(java.time.Instant due) {
        Map<String, String> all = new TreeMap<>(backupLabels());
        all.put(FIRING_LABEL, due.toString());
        return all;
    }
}
