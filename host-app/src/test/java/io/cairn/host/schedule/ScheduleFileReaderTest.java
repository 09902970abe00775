package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfigurationProblem;
import io.cairn.host.policy.ChainRules;
import io.cairn.host.policy.RetentionRules;
import io.cairn.host.policy.VerifyRules;
import io.cairn.host.testing.TestConf;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Schedule files: a complete one read right, and every kind of mistake named by file, key and reason. */
class ScheduleFileReaderTest {

    private static final String VALID = """
            cluster: lab
            volumes:
              - volumes/db1
              - volumes/web-*
            cron: "0 30 2 * * ?"
            time_zone: Europe/Berlin
            chain:
              full_every: 7
              full_after: 7d
            retention:
              keep_last: 3
              keep_daily: 7
              keep_weekly: 4
              keep_monthly: 6
              keep_yearly: 1
            labels:
              tier: gold
              copies: 2
            verify:
              after_backup: 10
              compare_source: true
              full_every: 7d
            """;

    @TempDir
    Path root;
    private TestConf conf;

    @BeforeEach
    void setUp() {
        conf = TestConf.in(root);
        conf.cluster("lab", "plugin: dir\n");
        conf.cluster("other", "plugin: dir\n");
    }

    private Schedule read(String name, String yaml) {
        conf.write("schedules/" + name + ".yaml", yaml);
        return ScheduleFileReader.read(ConfDirectory.at(conf.dir()), name);
    }

    private List<ConfigurationProblem> problems(String yaml) {
        return assertThrows(ConfigurationException.class, () -> read("nightly", yaml)).problems();
    }

    @Test
    void aCompleteFileIsReadWithEveryValue() {
        Schedule schedule = read("nightly", VALID);
        assertEquals("nightly", schedule.name());
        assertEquals("lab", schedule.cluster());
        assertEquals(List.of("volumes/db1", "volumes/web-*"), schedule.volumes().stream().map(VolumeSelector::text).toList());
        assertEquals("0 30 2 * * ?", schedule.cron());
        assertEquals(ZoneId.of("Europe/Berlin"), schedule.timeZone());
        assertEquals(new ChainRules(OptionalInt.of(7), Optional.of(Duration.ofDays(7))), schedule.chain());
        assertEquals(new RetentionRules(3, 0, 7, 4, 6, 1), schedule.retention());
        assertEquals(Map.of("tier", "gold", "copies", "2"), schedule.labels());
        assertEquals(Map.of("tier", "gold", "copies", "2", "schedule", "nightly"), schedule.backupLabels());
        assertTrue(schedule.file().endsWith("schedules/nightly.yaml"));
        assertEquals(new VerifyRules(10, true, Optional.of(Duration.ofDays(7))), schedule.verify());
        assertEquals("after_backup 10%, compare_source, full_every 7d", schedule.verify().describe());
    }

    @Test
    void optionalSectionsHaveSafeDefaults() {
        Schedule schedule = read("minimal", "cluster: lab\nvolumes: [volumes/db1]\ncron: 0 0 * * * ?\n");
        assertEquals(ZoneId.of("UTC"), schedule.timeZone());
        assertEquals(ChainRules.UNLIMITED, schedule.chain());
        // No retention rule keeps everything: an empty section must never read as "delete all".
        assertEquals(RetentionRules.KEEP_EVERYTHING, schedule.retention());
        assertEquals(Map.of(), schedule.labels());
        assertEquals(VerifyRules.NONE, schedule.verify());
        assertEquals(new VerifyRules(0, false, Optional.of(Duration.ofDays(7))),
                read("weekly", "cluster: lab\nvolumes: [volumes/db1]\ncron: 0 0 * * * ?\nverify: {full_every: 7d}\n").verify());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("cron: '0 0 * * * ?'\nvolumes: [volumes/db1]", "cluster", "required, but not set"),
                Arguments.of("cluster: nope\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]", "cluster", "no cluster named 'nope' (configured: lab, other)"),
                Arguments.of("cluster: [lab]\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]", "cluster", "expected text"),
                Arguments.of("cluster: lab\nvolumes: [volumes/db1]", "cron", "required, but not set"),
                Arguments.of("cluster: lab\ncron: '0 0 * * *'\nvolumes: [volumes/db1]", "cron", "is not a Quartz cron expression"),
                Arguments.of("cluster: lab\ncron: '0 0 25 * * ?'\nvolumes: [volumes/db1]", "cron", "is not a Quartz cron expression"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * *'\nvolumes: [volumes/db1]", "cron", "is not a Quartz cron expression"),
                Arguments.of("cluster: lab\ncron: 'every night'\nvolumes: [volumes/db1]", "cron", "for example \"0 30 2 * * ?\""),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'", "volumes", "required, but not set"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: volumes/db1", "volumes", "expected a list"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: []", "volumes", "the list is empty"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1, ' ']", "volumes[1]", "got an empty entry"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1, volumes/db1]", "volumes[1]", "is listed twice"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [vol*/db1]", "volumes[0]", "patterns are allowed after the last '/' only"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{pool: volumes}]", "volumes[0]", "expected a volume name, a pattern or file:/PATH"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: ['volumes/db[1']", "volumes[0]", "not closed"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{group: volumes/vm-*}]", "volumes[0]", "without patterns"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{group: [a]}]", "volumes[0].group", "expected a group's name"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{together: [volumes/a]}]", "volumes[0]", "at least two"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{together: volumes/a}]", "volumes[0].together", "expected a list of volume names"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{together: [volumes/a, 'volumes/b*']}]", "volumes[0]", "without patterns"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/a, {together: [volumes/a, volumes/b]}]", "volumes[1]", "'volumes/a' is listed twice"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [{group: volumes/g, together: [volumes/a, volumes/b]}]", "volumes[0]", "got a mapping with keys"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\ntime_zone: Mars/Olympus", "time_zone", "is not a time zone"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\ntime_zone: 3", "time_zone", "expected a time zone"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: 7", "chain", "expected a mapping of full_every, full_after"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: {full_every: 0}", "chain.full_every", "below the minimum 1"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: {full_every: x}", "chain.full_every", "whole number"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: {full_after: 0s}", "chain.full_after", "longer than 0s"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: {full_after: soon}", "chain.full_after", ""),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nchain: {full_evry: 7}", "chain.full_evry", "unknown key (did you mean 'full_every'?)"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nretention: {keep_last: -1}", "retention.keep_last", "below the minimum 0"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nretention: {keep_dayly: 7}", "retention.keep_dayly", "did you mean 'keep_daily'?"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nretention: {keep_daily: 1.5}", "retention.keep_daily", "whole number"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nretention: [3]", "retention", "expected a mapping"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nlabels: gold", "labels", "expected a mapping"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nverify: {after_backup: 101}", "verify.after_backup", "above the maximum 100"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nverify: {after_backup: 5%}", "verify.after_backup", "whole number"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nverify: {full_every: 0s}", "verify.full_every", "longer than 0s"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nverify: {compare_source: maybe}", "verify.compare_source", ""),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nverify: {sample: 5}", "verify.sample", "unknown key"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nlabels: {schedule: x}", "labels.schedule", "is set by Cairn"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nlabels: {tier: [a]}", "labels.tier", "expected a text value"),
                Arguments.of("cluster: lab\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]\nretain: {keep_last: 3}", "retain", "unknown key; a schedule file has cluster, volumes, cron"),
                Arguments.of("cluster: lab\ncluster: other\ncron: '0 0 * * * ?'\nvolumes: [volumes/db1]", "", "Duplicate field 'cluster'"),
                Arguments.of("cluster: lab\n  cron: : x", "", "is not valid YAML (line"),
                Arguments.of("- just\n- a list", "", "must be a mapping"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("mistakes")
    void eachMistakeIsNamedWithFileKeyAndReason(String yaml, String key, String reason) {
        List<ConfigurationProblem> problems = problems(yaml);
        ConfigurationProblem problem = problems.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for key '" + key + "' in " + problems));
        assertTrue(problem.reason().contains(reason), problem.reason());
        assertTrue(problem.file().endsWith("schedules/nightly.yaml"), problem.file().toString());
    }

    @Test
    void groupsAndVolumesTakenTogetherAreSetsBesideTheVolumes() {
        Schedule schedule = read("vm", "cluster: lab\ncron: 0 0 * * * ?\nvolumes:\n  - volumes/db1\n"
                + "  - group: volumes/vm-42\n  - together: [volumes/pg-data, volumes/pg-wal]\n");
        assertEquals(List.of("volumes/db1"), schedule.volumes().stream().map(VolumeSelector::text).toList());
        assertEquals(List.of(SetSelector.ofGroup("volumes/vm-42"),
                SetSelector.ofVolumes(List.of("volumes/pg-data", "volumes/pg-wal"))), schedule.sets());
        Schedule onlyGroup = read("vm", "cluster: lab\ncron: 0 0 * * * ?\nvolumes: [{group: volumes/vm-42}]\n");
        assertEquals(List.of(), onlyGroup.volumes());
        assertEquals(1, onlyGroup.sets().size());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        List<ConfigurationProblem> problems = problems("cluster: nope\ncron: never\nvolumes: ['db*/1']\nretention: {keep: 1}\n");
        assertEquals(List.of("cluster", "volumes[0]", "cron", "retention.keep"),
                problems.stream().map(ConfigurationProblem::key).toList());
    }

    @Test
    void readAllReportsTheProblemsOfEveryFile() {
        conf.write("schedules/good.yaml", VALID);
        conf.write("schedules/bad-one.yaml", "cluster: lab\n");
        conf.write("schedules/Bad_Name.yaml", VALID);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ScheduleFileReader.readAll(ConfDirectory.at(conf.dir())));
        assertTrue(e.getMessage().contains("Bad_Name.yaml: the file name must be lowercase"), e.getMessage());
        assertTrue(e.getMessage().contains("bad-one.yaml: cron: required"), e.getMessage());
        assertTrue(e.getMessage().contains("bad-one.yaml: volumes: required"), e.getMessage());
        assertTrue(!e.getMessage().contains("good.yaml"), e.getMessage());
    }

    @Test
    void anUnknownScheduleIsNamedWithTheKnownOnes() {
        conf.write("schedules/nightly.yaml", VALID);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ScheduleFileReader.read(ConfDirectory.at(conf.dir()), "hourly"));
        assertTrue(e.getMessage().contains("no schedule named 'hourly' (configured: nightly)"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> ScheduleFileReader.read(ConfDirectory.at(conf.dir()), "../x"));
    }
}
