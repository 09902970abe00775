package io.cairn.host.schedule;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfigurationProblem;
import io.cairn.host.config.YamlMappingReader;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.policy.RetentionRules;
import io.cairn.host.policy.VerifyRules;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.quartz.CronExpression;

/**
 * Reads and checks {@code conf/schedules/<name>.yaml}. Every problem is collected and reported at once,
 * each naming the file, the key ({@code retention.keep_daily}, {@code volumes[2]}) and the reason, as
 * for cluster files.
 *
 * <pre>
 * cluster: lab                    # a file in conf/clusters/
 * volumes:                        # the backend's volume names, patterns (resolved at each firing), file:/PATH
 *   - volumes/db1
 *   - volumes/web-*
 *   - group: volumes/vm-42        # an RBD group's volumes at one instant, as one backup set
 *   - together: [volumes/pg-data, volumes/pg-wal]   # these volumes at one instant, as one backup set
 * cron: "0 30 2 * * ?"            # Quartz cron: sec min hour day-of-month month day-of-week [year]
 * time_zone: Europe/Berlin        # default: UTC
 * chain: {full_every: 7, full_after: 7d}
 * retention: {keep_last: 3, keep_daily: 7, keep_weekly: 4, keep_monthly: 6}
 * labels: {tier: gold}
 * verify: {after_backup: 10, compare_source: true, full_every: 7d}
 * </pre>
 */
public final class ScheduleFileReader {

    static final String CLUSTER = "cluster";
    static final String VOLUMES = "volumes";
    static final String CRON = "cron";
    static final String TIME_ZONE = "time_zone";
    static final String CHAIN = "chain";
    static final String RETENTION = "retention";
    static final String LABELS = "labels";
    static final String VERIFY = "verify";
    private static final List<String> KEYS = List.of(CLUSTER, VOLUMES, CRON, TIME_ZONE, CHAIN, RETENTION, LABELS, VERIFY);
    private static final String VOLUMES_EXPECTED = "a list of the backend's volume names (volumes/db1, vm1.img),"
            + " patterns after the last '/' (volumes/web-*, images/*.img), file:/PATH, or sets of volumes taken"
            + " together (group: volumes/vm-42, together: [volumes/a, volumes/b])";

    /** The keys of {@code chain:}, declared like options so that they are typed, checked and documented once. */
    public static final OptionDefinitions CHAIN_OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("full_every", OptionType.INTEGER).minimum(1)
                    .doc("At most this many backups in one chain, the full one included: 7 gives a full backup"
                            + " and then up to 6 incremental ones. Counts backups retention has deleted too.")
                    .build(),
            OptionDefinition.builder("full_after", OptionType.DURATION)
                    .doc("Start a new chain once the chain's full backup is at least this old (7d).")
                    .build());

    /** The keys of {@code retention:}; absent and 0 mean the same, and no key set keeps everything. */
    public static final OptionDefinitions RETENTION_OPTIONS = OptionDefinitions.of(
            count("keep_last", "Keep the newest N backups."),
            count("keep_hourly", "Keep the newest backup of each of the last N hours that have one."),
            count("keep_daily", "Keep the newest backup of each of the last N days that have one."),
            count("keep_weekly", "Keep the newest backup of each of the last N ISO weeks that have one."),
            count("keep_monthly", "Keep the newest backup of each of the last N months that have one."),
            count("keep_yearly", "Keep the newest backup of each of the last N years that have one."));

    /** The keys of {@code verify:}; without the section nothing is verified. */
    public static final OptionDefinitions VERIFY_OPTIONS = OptionDefinitions.of(
            OptionDefinition.builder("after_backup", OptionType.INTEGER).defaultValue("0").minimum(0).maximum(100)
                    .unit("percent")
                    .doc("Right after each backup is stored, verify this share of it, a random part each time"
                            + " (cairn verify --sample); 100 checks all of it, 0 none.")
                    .build(),
            OptionDefinition.builder("compare_source", OptionType.BOOLEAN).defaultValue("false")
                    .doc("That check also compares the new backup with its source snapshot (cairn verify --source),"
                            + " which proves the copy against the volume, not only against itself.")
                    .build(),
            OptionDefinition.builder("full_every", OptionType.DURATION)
                    .doc("Verify every stored backup of the schedule's volumes in full at least this often (7d): at"
                            + " each firing, after the volume's backup, those whose last full verify is older.")
                    .build());

    private ScheduleFileReader() {
    }

    private static OptionDefinition count(String name, String doc) {
        return OptionDefinition.builder(name, OptionType.INTEGER).defaultValue("0").minimum(0).doc(doc).build();
    }

    /**
     * Reads every schedule of the conf directory.
     *
     * @throws ConfigurationException listing the problems of every file
     */
    public static List<Schedule> readAll(ConfDirectory conf) {
        List<Schedule> schedules = new ArrayList<>();
        List<ConfigurationProblem> problems = new ArrayList<>();
        for (String name : conf.scheduleNames()) {
            try {
                schedules.add(read(conf, name));
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return schedules;
    }

    /**
     * Reads one schedule by name.
     *
     * @throws ConfigurationException when there is no such schedule, or naming each problem of its file
     */
    public static Schedule read(ConfDirectory conf, String name) {
        Path file = conf.scheduleFile(name);
        return parse(name, file, YamlMappingReader.read(file), conf.clusterNames());
    }

    /**
     * Checks a schedule's volumes against the backend of its cluster: names in the backend's own form,
     * {@code file:} entries only for a backend with file sources. Done once the cluster file is known to
     * be valid, before anything fires.
     *
     * @return one problem per entry that does not suit the backend, keyed {@code volumes[i]}
     */
    public static List<ConfigurationProblem> checkVolumes(Schedule schedule, BackendDescriptor backend) {
        List<ConfigurationProblem> problems = new ArrayList<>();
        for (int i = 0; i < schedule.volumes().size(); i++) {
            VolumeSelector selector = schedule.volumes().get(i);
            int index = i;
            selector.problem(backend).ifPresent(reason -> problems.add(new ConfigurationProblem(schedule.file(),
                    VOLUMES + "[" + index + "]", reason.contains("'" + selector + "'") ? reason : "'" + selector + "': " + reason)));
        }
        for (int i = 0; i < schedule.sets().size(); i++) {
            SetSelector set = schedule.sets().get(i);
            set.problem(backend).ifPresent(reason -> problems.add(new ConfigurationProblem(schedule.file(),
                    VOLUMES + " (" + set + ")", reason)));
        }
        return problems;
    }

    /** Checks a parsed file; {@code clusters} are the configured cluster names. */
    static Schedule parse(String name, Path file, Map<String, Object> raw, List<String> clusters) {
        Problems problems = new Problems(file);
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add(key, "unknown key; a schedule file has " + String.join(", ", KEYS));
            }
        }
        if (!ConfDirectory.isValidName(name)) {
            problems.add("", "the file name must be lowercase letters, digits, '-' or '_' (it names the schedule)");
        }
        String cluster = text(raw, CLUSTER, problems);
        if (cluster != null && !clusters.contains(cluster)) {
            problems.add(CLUSTER, "no cluster named '" + cluster + "' (configured: "
                    + (clusters.isEmpty() ? "none" : String.join(", ", clusters)) + ")");
        }
        List<SetSelector> sets = new ArrayList<>();
        List<VolumeSelector> volumes = volumes(raw.get(VOLUMES), sets, problems);
        String cron = text(raw, CRON, problems);
        if (cron != null) {
            checkCron(cron, problems);
        }
        ZoneId zone = zone(raw.get(TIME_ZONE), problems);
        ChainRules chain = chain(raw.get(CHAIN), problems);
        RetentionRules retention = retention(raw.get(RETENTION), problems);
        Map<String, String> labels = labels(raw.get(LABELS), problems);
        VerifyRules verify = verify(raw.get(VERIFY), problems);
        problems.throwIfAny();
        return new Schedule(name, file, cluster, volumes, cron.strip(), zone, chain, retention, labels, verify, sets);
    }

    private static String text(Map<String, Object> raw, String key, Problems problems) {
        Object value = raw.get(key);
        if (value == null) {
            problems.add(key, "required, but not set");
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add(key, "expected text, got " + describe(value));
            return null;
        }
        return text;
    }

    private static List<VolumeSelector> volumes(Object value, List<SetSelector> sets, Problems problems) {
        List<VolumeSelector> selectors = new ArrayList<>();
        if (value == null) {
            problems.add(VOLUMES, "required, but not set (" + VOLUMES_EXPECTED + ")");
            return selectors;
        }
        if (!(value instanceof List<?> list)) {
            problems.add(VOLUMES, "expected " + VOLUMES_EXPECTED + ", got " + describe(value));
            return selectors;
        }
        if (list.isEmpty()) {
            problems.add(VOLUMES, "the list is empty; name at least one volume or pattern");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = VOLUMES + "[" + i + "]";
            Object entry = list.get(i);
            if (entry instanceof Map<?, ?> mapping) {
                set(key, mapping, seen, problems).ifPresent(sets::add);
                continue;
            }
            if (!(entry instanceof String text)) {
                problems.add(key, "expected a volume name, a pattern or file:/PATH, got " + describe(entry));
                continue;
            }
            try {
                VolumeSelector selector = VolumeSelector.parse(text);
                if (!seen.add(selector.text())) {
                    problems.add(key, "'" + text + "' is listed twice");
                }
                selectors.add(selector);
            } catch (IllegalArgumentException e) {
                problems.add(key, "'" + text + "': " + e.getMessage());
            }
        }
        return selectors;
    }

    /** An entry {@code group: NAME} or {@code together: [VOLUME, ...]}: volumes backed up as one set. */
    private static Optional<SetSelector> set(String key, Map<?, ?> entry, Set<String> seen, Problems problems) {
        if (entry.size() != 1 || !(entry.containsKey(SetSelector.GROUP) || entry.containsKey(SetSelector.TOGETHER))) {
            problems.add(key, "expected a volume name, a pattern or file:/PATH, or a set of volumes backed up together"
                    + " ('group: volumes/vm-42', a group the backend keeps, or 'together: [volumes/a, volumes/b]'); got a"
                    + " mapping with keys " + entry.keySet());
            return Optional.empty();
        }
        try {
            SetSelector set;
            if (entry.get(SetSelector.GROUP) != null) {
                if (!(entry.get(SetSelector.GROUP) instanceof String group)) {
                    problems.add(key + "." + SetSelector.GROUP, "expected a group's name, got "
                            + describe(entry.get(SetSelector.GROUP)));
                    return Optional.empty();
                }
                set = SetSelector.ofGroup(group);
                if (!seen.add(SetSelector.GROUP + ":" + set.group().orElseThrow())) {
                    problems.add(key, "group " + group + " is listed twice");
                }
            } else {
                Object value = entry.get(SetSelector.TOGETHER);
                if (!(value instanceof List<?> names) || !names.stream().allMatch(String.class::isInstance)) {
                    problems.add(key + "." + SetSelector.TOGETHER, "expected a list of volume names, got "
                            + describe(value));
                    return Optional.empty();
                }
                set = SetSelector.ofVolumes(names.stream().map(String.class::cast).toList());
                for (var volume : set.volumes()) {
                    if (!seen.add(volume.locator())) {
                        problems.add(key, "'" + volume + "' is listed twice");
                    }
                }
            }
            return Optional.of(set);
        } catch (IllegalArgumentException e) {
            problems.add(key, e.getMessage());
            return Optional.empty();
        }
    }

    private static void checkCron(String cron, Problems problems) {
        try {
            new CronExpression(cron.strip());
        } catch (ParseException e) {
            problems.add(CRON, "'" + cron + "' is not a Quartz cron expression: " + e.getMessage()
                    + " (six or seven fields: second minute hour day-of-month month day-of-week [year], with '?' in"
                    + " one of the two day fields, for example \"0 30 2 * * ?\")");
        }
    }

    private static ZoneId zone(Object value, Problems problems) {
        if (value == null) {
            return ZoneId.of("UTC");
        }
        if (!(value instanceof String text)) {
            problems.add(TIME_ZONE, "expected a time zone such as Europe/Berlin or UTC, got " + describe(value));
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            problems.add(TIME_ZONE, "'" + text + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
            return ZoneId.of("UTC");
        }
    }

    private static ChainRules chain(Object value, Problems problems) {
        OptionValues values = section(CHAIN, value, CHAIN_OPTIONS, problems);
        if (values == null) {
            return ChainRules.UNLIMITED;
        }
        return new ChainRules(values.isSet("full_every") ? OptionalInt.of(values.integer("full_every")) : OptionalInt.empty(),
                values.isSet("full_after") ? Optional.of(values.duration("full_after")) : Optional.empty());
    }

    private static RetentionRules retention(Object value, Problems problems) {
        OptionValues values = section(RETENTION, value, RETENTION_OPTIONS, problems);
        if (values == null) {
            return RetentionRules.KEEP_EVERYTHING;
        }
        return new RetentionRules(values.integer("keep_last"), values.integer("keep_hourly"), values.integer("keep_daily"),
                values.integer("keep_weekly"), values.integer("keep_monthly"), values.integer("keep_yearly"));
    }

    private static VerifyRules verify(Object value, Problems problems) {
        OptionValues values = section(VERIFY, value, VERIFY_OPTIONS, problems);
        if (values == null) {
            return VerifyRules.NONE;
        }
        return new VerifyRules(values.integer("after_backup"), values.bool("compare_source"),
                values.isSet("full_every") ? Optional.of(values.duration("full_every")) : Optional.empty());
    }

    /** Validates a nested mapping against its declarations; null when absent or wrong (problems noted). */
    private static OptionValues section(String key, Object value, OptionDefinitions definitions, Problems problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> mapping)) {
            problems.add(key, "expected a mapping of " + names(definitions) + ", got " + describe(value));
            return null;
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        mapping.forEach((k, v) -> entries.put(String.valueOf(k), v));
        try {
            OptionValues values = definitions.validate(entries);
            if (key.equals(CHAIN) && values.isSet("full_after") && values.duration("full_after").isZero()) {
                problems.add(key + ".full_after", "must be longer than 0s");
                return null;
            }
            if (key.equals(VERIFY) && values.isSet("full_every") && values.duration("full_every").isZero()) {
                problems.add(key + ".full_every", "must be longer than 0s");
                return null;
            }
            return values;
        } catch (InvalidConfigurationException e) {
            e.problems().forEach(p -> problems.add(key + "." + p.key(),
                    p.reason().replace("unknown option", "unknown key")));
            return null;
        }
    }

    private static Map<String, String> labels(Object value, Problems problems) {
        Map<String, String> labels = new TreeMap<>();
        if (value == null) {
            return labels;
        }
        if (!(value instanceof Map<?, ?> mapping)) {
            problems.add(LABELS, "expected a mapping of label names to values, got " + describe(value));
            return labels;
        }
        mapping.forEach((k, v) -> {
            String labelKey = String.valueOf(k);
            if (v == null || v instanceof Map || v instanceof List) {
                problems.add(LABELS + "." + labelKey, "expected a text value, got " + describe(v));
            } else if (labelKey.equals(Schedule.SCHEDULE_LABEL)) {
                problems.add(LABELS + "." + labelKey, "is set by Cairn to the schedule's name");
            } else if (labelKey.equals(Schedule.FIRING_LABEL)) {
                problems.add(LABELS + "." + labelKey, "is set by Cairn to the due time of the firing that made the backup");
            } else {
                labels.put(labelKey, String.valueOf(v));
            }
        });
        return labels;
    }

    private static String names(OptionDefinitions definitions) {
        return String.join(", ", definitions.all().stream().map(OptionDefinition::name).toList());
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }

    /** The problems found so far in one file. */
    private static final class Problems {
        private final Path file;
        private final List<ConfigurationProblem> found = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(String key, String reason) {
            found.add(new ConfigurationProblem(file, key, reason));
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                throw new ConfigurationException(found);
            }
        }
    }
}
