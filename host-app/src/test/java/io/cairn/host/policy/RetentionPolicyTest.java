package io.cairn.host.policy;

import static io.cairn.host.policy.PolicyHistories.BERLIN;
import static io.cairn.host.policy.PolicyHistories.UTC;
import static io.cairn.host.policy.PolicyHistories.at;
import static io.cairn.host.policy.PolicyHistories.available;
import static io.cairn.host.policy.PolicyHistories.chain;
import static io.cairn.host.policy.PolicyHistories.daily;
import static io.cairn.host.policy.PolicyHistories.id;
import static io.cairn.host.policy.PolicyHistories.incremental;
import static io.cairn.host.policy.PolicyHistories.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPolicyTest {

    private static final RestorePointDependency INDEPENDENT = RestorePointDependency.INDEPENDENT;
    private static final RestorePointDependency DEPENDS = RestorePointDependency.DEPENDS_ON_PARENT;
    private static final RetentionRules NONE = RetentionRules.KEEP_EVERYTHING;

    private static RetentionPlan evaluate(List<BackupEntry> history, RetentionRules rules, ZoneId zone) {
        return RetentionPolicy.evaluate(history, rules, zone, INDEPENDENT);
    }

    /** Kept ids, newest first. */
    private static List<String> kept(RetentionPlan plan) {
        return plan.kept().stream().map(decision -> decision.backup().id().value()).toList();
    }

    /** Id to label ({@code keep (keep-daily)}), newest first. */
    private static Map<String, String> labels(RetentionPlan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        plan.decisions().forEach(decision -> labels.put(decision.backup().id().value(), decision.label()));
        return labels;
    }

    private static String label(RetentionPlan plan, String id) {
        return plan.decisionFor(id(id)).orElseThrow().label();
    }

    @Nested
    class NoRuleSet {

        @Test
        void keepsEverything() {
            List<BackupEntry> history = series("b", Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(7), 50);
            RetentionPlan plan = evaluate(history, NONE, UTC);
            assertEquals(50, plan.kept().size());
            assertTrue(plan.removed().isEmpty());
            plan.decisions().forEach(decision -> assertEquals("keep (no retention rule)", decision.label()));
        }

        @Test
        void zeroCountsAreTheSameAsAbsentOnes() {
            // PBS: keep-last 0 does not keep nothing; every option at 0 means "keep all" (keeps_something()).
            RetentionRules zeros = new RetentionRules(0, 0, 0, 0, 0, 0);
            assertTrue(zeros.keepsEverything());
            assertEquals("keep everything", zeros.describe());
            List<BackupEntry> history = series("b", Instant.parse("2024-01-01T00:00:00Z"), Duration.ofDays(1), 10);
            assertEquals(10, evaluate(history, zeros, UTC).kept().size());
        }

        @Test
        void stillRemovesFailedBackups() {
            List<BackupEntry> history = List.of(
                    available("good", "2024-01-01T00:00", UTC),
                    available("failed", "2024-01-02T00:00", UTC).withStatus(BackupStatus.ERROR));
            RetentionPlan plan = evaluate(history, NONE, UTC);
            assertEquals("remove (error)", label(plan, "failed"));
            assertEquals("keep (no retention rule)", label(plan, "good"));
        }

        @Test
        void emptyHistoryGivesAnEmptyPlan() {
            assertTrue(evaluate(List.of(), NONE.withKeepLast(3), UTC).decisions().isEmpty());
            assertTrue(evaluate(List.of(), NONE, UTC).decisions().isEmpty());
        }
    }

    @Nested
    class KeepLast {

        @Test
        void keepsTheNewestN() {
            List<BackupEntry> history = series("b", Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(1), 10);
            RetentionPlan plan = evaluate(history, NONE.withKeepLast(3), UTC);
            assertEquals(List.of("b000009", "b000008", "b000007"), kept(plan));
            assertEquals(7, plan.removed().size());
            assertEquals("keep (keep-last)", label(plan, "b000009"));
            assertEquals("remove (not kept by any rule)", label(plan, "b000006"));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 5, 10, 11, 1000})
        void keepsMinOfNAndTheHistory(int keepLast) {
            List<BackupEntry> history = series("b", Instant.parse("2024-01-01T00:00:00Z"), Duration.ofSeconds(1), 10);
            assertEquals(Math.min(keepLast, 10), evaluate(history, NONE.withKeepLast(keepLast), UTC).kept().size());
        }

        @Test
        void decisionsAreNewestFirstWhateverTheInputOrder() {
            List<BackupEntry> history = new ArrayList<>(
                    series("b", Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(5), 30));
            Collections.shuffle(history, new Random(7));
            RetentionPlan plan = evaluate(history, NONE.withKeepLast(4), UTC);
            List<Instant> times = plan.decisions().stream().map(decision -> decision.backup().createdAt()).toList();
            List<Instant> sorted = new ArrayList<>(times);
            sorted.sort(Collections.reverseOrder());
            assertEquals(sorted, times);
            assertEquals(List.of("b000029", "b000028", "b000027", "b000026"), kept(plan));
        }
    }

    /**
     * One rule at a time over borg's own test history: borg's {@code test_prune_split}
     * (borgbackup/borg, src/borg/testsuite, "rule,num_to_keep,expected_ids"). For a single rule that
     * can fill its count, PBS and borg agree, so the expected ids are borg's.
     */
    @Nested
    class BorgPruneSplitCases {

        private static List<BackupEntry> borgArchives() {
            String[] times = {
                "2015-01-01T10:00:00", "2016-01-01T10:00:00", "2017-01-01T10:00:00", // years apart
                "2017-02-01T10:00:00", "2017-03-01T10:00:00", // months apart
                "2017-03-02T10:00:00", "2017-03-03T10:00:00", "2017-03-04T10:00:00", // days apart
                "2017-10-01T09:45:00", "2017-10-01T09:55:00", // minutes apart
                "2017-10-01T10:00:01", "2017-10-01T10:00:03", "2017-10-01T10:00:05", // seconds apart
            };
            List<BackupEntry> archives = new ArrayList<>();
            for (int i = 0; i < times.length; i++) {
                archives.add(available("a" + (i + 1), times[i], BERLIN));
            }
            return archives;
        }

        @ParameterizedTest(name = "{0} {1} keeps {2}")
        @CsvSource({
            "YEARLY, 3, a13 a2 a1",
            "MONTHLY, 3, a13 a8 a4",
            "WEEKLY, 2, a13 a8",
            "DAILY, 3, a13 a8 a7",
            "HOURLY, 3, a13 a10 a8",
            "LAST, 4, a13 a12 a11 a10",
        })
        void singleRule(RetentionRule rule, int count, String expected) {
            RetentionPlan plan = evaluate(borgArchives(), NONE.with(rule, count), BERLIN);
            assertEquals(List.of(expected.split(" ")), kept(plan));
            plan.kept().forEach(decision -> assertEquals(Optional.of(rule), decision.rule()));
        }
    }

    /**
     * borg's visualised example, docs/misc/prune-example.txt and its test
     * {@code test_prune_repository_example} (src/borg/testsuite/archiver/prune_cmd_test.py): a backup every
     * day of 2015 except 2015-12-19, pruned on 2016-01-01 with --keep-daily 14 --keep-monthly 6
     * --keep-yearly 1.
     */
    @Nested
    class BorgPruneExample {

        private final List<BackupEntry> year2015 = daily(LocalDate.parse("2015-01-01"), LocalDate.parse("2015-12-31"),
                "00:00", BERLIN).stream().filter(entry -> !entry.id().value().equals("2015-12-19")).toList();
        private final RetentionRules rules = NONE.withKeepDaily(14).withKeepMonthly(6).withKeepYearly(1);

        @Test
        void dailyAndMonthlyKeepWhatBorgKeeps() {
            RetentionPlan plan = evaluate(year2015, rules, BERLIN);
            List<String> daily = List.of("2015-12-31", "2015-12-30", "2015-12-29", "2015-12-28", "2015-12-27",
                    "2015-12-26", "2015-12-25", "2015-12-24", "2015-12-23", "2015-12-22", "2015-12-21", "2015-12-20",
                    "2015-12-18", "2015-12-17");
            List<String> monthly = List.of("2015-11-30", "2015-10-31", "2015-09-30", "2015-08-31", "2015-07-31",
                    "2015-06-30");
            daily.forEach(id -> assertEquals("keep (keep-daily)", label(plan, id), id));
            monthly.forEach(id -> assertEquals("keep (keep-monthly)", label(plan, id), id));
            // "2015-12-17 is kept to satisfy the --keep-daily 14 rule, because no backup was made on 2015-12-19."
            assertEquals(20, plan.kept().size());
        }

        @Test
        void yearlyDoesNotKeepTheOldestAsBorgDoes() {
            // borg: "The --keep-yearly 1 rule does not consider the December 31st backup because it has already
            // been kept due to the daily rule. [...] the 2015-01-01 archive (the oldest archive available) is kept"
            // as yearly[oldest]. PBS has no "oldest" fallback: 2015 already holds a kept backup, so keep-yearly
            // finds no uncovered year and keeps nothing. Cairn follows PBS.
            RetentionPlan plan = evaluate(year2015, rules, BERLIN);
            assertEquals("remove (not kept by any rule)", label(plan, "2015-01-01"));
            assertTrue(plan.kept().stream().noneMatch(decision -> decision.rule().equals(Optional.of(RetentionRule.YEARLY))));
        }

        @Test
        void theRepositoryTestsTwentyFourArchives() {
            // test_prune_repository_example creates only these 24 archives; borg keeps test01..test21 (test01
            // as yearly[oldest]) and prunes test22..test24. PBS semantics keep test02..test21.
            List<BackupEntry> archives = new ArrayList<>();
            String[] dates = {"2015-01-01", "2015-06-30", "2015-07-31", "2015-08-31", "2015-09-30", "2015-10-31",
                "2015-11-30", "2015-12-17", "2015-12-18", "2015-12-20", "2015-12-21", "2015-12-22", "2015-12-23",
                "2015-12-24", "2015-12-25", "2015-12-26", "2015-12-27", "2015-12-28", "2015-12-29", "2015-12-30",
                "2015-12-31", "2015-01-02", "2015-05-31", "2015-12-16"};
            for (int i = 0; i < dates.length; i++) {
                archives.add(available(String.format("test%02d", i + 1), dates[i] + "T00:00", BERLIN));
            }
            RetentionPlan plan = evaluate(archives, rules, BERLIN);
            for (int i = 2; i <= 21; i++) {
                assertTrue(label(plan, String.format("test%02d", i)).startsWith("keep"), "test" + i);
            }
            for (int i = 1; i <= 7; i++) {
                String expected = i == 1 ? "remove (not kept by any rule)" : "keep (keep-monthly)";
                assertEquals(expected, label(plan, String.format("test%02d", i)));
            }
            for (int i : new int[] {1, 22, 23, 24}) {
                assertEquals("remove (not kept by any rule)", label(plan, String.format("test%02d", i)));
            }
        }
    }

    /** How the rules compose: each rule only looks at backups no earlier rule decided on. */
    @Nested
    class RuleComposition {

        @Test
        void keepDailyOnlyConsidersDaysNotCoveredByKeepLast() {
            // Three backups a day; keep-last 2 takes today's two newest, so keep-daily 2 starts at yesterday.
            List<BackupEntry> history = new ArrayList<>();
            for (LocalDate day = LocalDate.parse("2024-05-01"); day.isBefore(LocalDate.parse("2024-05-06")); day = day.plusDays(1)) {
                for (String time : List.of("06:00", "12:00", "18:00")) {
                    history.add(available("b" + day.toString().replace("-", "") + time.substring(0, 2), day + "T" + time, BERLIN));
                }
            }
            RetentionPlan plan = evaluate(history, NONE.withKeepLast(2).withKeepDaily(2), BERLIN);
            assertEquals(List.of("b2024050518", "b2024050512", "b2024050418", "b2024050318"), kept(plan));
            assertEquals("keep (keep-last)", label(plan, "b2024050512"));
            assertEquals("keep (keep-daily)", label(plan, "b2024050418"));
            assertEquals("remove (not kept by any rule)", label(plan, "b2024050506"));
        }

        @Test
        void keepMonthlyIgnoresBackupsOfAWeekThatKeepWeeklyCovered() {
            // PBS prune simulator documentation: "in a week covered by keep-weekly, one backup is kept while all
            // others are removed; keep-monthly then does not consider backups from that week anymore, even if
            // part of the week is part of an earlier month."
            // ISO week 2025-W05 runs from Monday 2025-01-27 to Sunday 2025-02-02.
            List<BackupEntry> history = daily(LocalDate.parse("2025-01-20"), LocalDate.parse("2025-02-02"), "21:00", BERLIN);
            RetentionPlan plan = evaluate(history, NONE.withKeepWeekly(1).withKeepMonthly(1), BERLIN);
            assertEquals("keep (keep-weekly)", label(plan, "2025-02-02"));
            // January's newest backup, the 31st, lies in the covered week: January's monthly is the 26th (W04).
            assertEquals("remove (not kept by any rule)", label(plan, "2025-01-31"));
            assertEquals("keep (keep-monthly)", label(plan, "2025-01-26"));
            assertEquals(List.of("2025-02-02", "2025-01-26"), kept(plan));
        }

        @Test
        void aPeriodAlreadyHoldingAKeptBackupDoesNotCount() {
            // Daily backups for 10 days; keep-last 1 keeps today, keep-daily 3 keeps the three days before it.
            List<BackupEntry> history = daily(LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-10"), "23:00", UTC);
            RetentionPlan plan = evaluate(history, NONE.withKeepLast(1).withKeepDaily(3), UTC);
            assertEquals(List.of("2024-03-10", "2024-03-09", "2024-03-08", "2024-03-07"), kept(plan));
        }

        @Test
        void allRulesCombinedOverThreeYearsOfDailyBackups() {
            List<BackupEntry> history = daily(LocalDate.parse("2022-01-01"), LocalDate.parse("2024-12-31"), "01:30", BERLIN);
            RetentionRules rules = new RetentionRules(3, 24, 7, 4, 12, 5);
            RetentionPlan plan = evaluate(history, rules, BERLIN);
            Map<String, String> expected = new LinkedHashMap<>();
            // keep-last 3: the three newest days. keep-hourly 24: one backup a day, so 24 more days.
            for (LocalDate day = LocalDate.parse("2024-12-31"); day.isAfter(LocalDate.parse("2024-12-28")); day = day.minusDays(1)) {
                expected.put(day.toString(), "keep (keep-last)");
            }
            for (LocalDate day = LocalDate.parse("2024-12-28"); day.isAfter(LocalDate.parse("2024-12-04")); day = day.minusDays(1)) {
                expected.put(day.toString(), "keep (keep-hourly)");
            }
            // keep-daily 7: the next seven days, 2024-12-04 back to 2024-11-28.
            for (LocalDate day = LocalDate.parse("2024-12-04"); day.isAfter(LocalDate.parse("2024-11-27")); day = day.minusDays(1)) {
                expected.put(day.toString(), "keep (keep-daily)");
            }
            // keep-weekly 4: 2024-11-28 is a Thursday of W48, already covered; then the Sundays of W47..W44.
            for (String sunday : List.of("2024-11-24", "2024-11-17", "2024-11-10", "2024-11-03")) {
                expected.put(sunday, "keep (keep-weekly)");
            }
            // keep-monthly 12: November and December are covered; October 2024 back to November 2023.
            // October's last days (28th-31st) lie in W44, which keep-weekly covered and marked: October's
            // newest backup not yet decided on is Sunday the 27th (W43) - PBS's "does not consider backups from
            // that week anymore, even if part of the week is part of an earlier month".
            for (String last : List.of("2024-10-27", "2024-09-30", "2024-08-31", "2024-07-31", "2024-06-30", "2024-05-31",
                    "2024-04-30", "2024-03-31", "2024-02-29", "2024-01-31", "2023-12-31", "2023-11-30")) {
                expected.put(last, "keep (keep-monthly)");
            }
            // keep-yearly 5: 2024 and 2023 are covered; 2022's last day; there is nothing older.
            expected.put("2022-12-31", "keep (keep-yearly)");
            Map<String, String> keptLabels = labels(plan).entrySet().stream()
                    .filter(entry -> entry.getValue().startsWith("keep"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertEquals(expected, keptLabels);
            assertEquals(history.size() - expected.size(), plan.removed().size());
        }
    }

    @Nested
    class DaylightSavingTime {

        // Europe/Berlin 2025: clocks jump from 02:00 CET to 03:00 CEST on 30 March (01:00 UTC) and fall back
        // from 03:00 CEST to 02:00 CET on 26 October (01:00 UTC).

        @Test
        void springForwardHasNoHourTwo() {
            List<BackupEntry> history = series("b", Instant.parse("2025-03-29T22:00:00Z"), Duration.ofMinutes(15), 16);
            // 22:00Z..01:45Z = local 23:00, 00:xx, 01:xx CET and then 03:xx CEST: four local hours, none of them 02.
            RetentionPlan plan = evaluate(history, NONE.withKeepHourly(10), BERLIN);
            List<Instant> keptTimes = plan.kept().stream().map(decision -> decision.backup().createdAt()).toList();
            assertEquals(List.of(Instant.parse("2025-03-30T01:45:00Z"), Instant.parse("2025-03-30T00:45:00Z"),
                    Instant.parse("2025-03-29T23:45:00Z"), Instant.parse("2025-03-29T22:45:00Z")), keptTimes);
            List<Integer> localHours = keptTimes.stream().map(time -> time.atZone(BERLIN).getHour()).toList();
            assertEquals(List.of(3, 1, 0, 23), localHours);
        }

        @Test
        void fallBackRepeatsHourTwoAsOnePeriod() {
            // 23:00Z..02:45Z every 15 minutes = local 01:xx CEST, 02:xx CEST, 02:xx CET, 03:xx CET. Like PBS's
            // strftime("%Y/%m/%d/%H"), the repeated 02 is one hour: eight backups, one kept.
            List<BackupEntry> history = series("b", Instant.parse("2025-10-25T23:00:00Z"), Duration.ofMinutes(15), 16);
            RetentionPlan plan = evaluate(history, NONE.withKeepHourly(3), BERLIN);
            List<Instant> keptTimes = plan.kept().stream().map(decision -> decision.backup().createdAt()).toList();
            assertEquals(List.of(Instant.parse("2025-10-26T02:45:00Z"), Instant.parse("2025-10-26T01:45:00Z"),
                    Instant.parse("2025-10-25T23:45:00Z")), keptTimes);
            // 02:45 CEST (00:45Z) is the newest of the first pass through 02:00 and is not kept.
            assertFalse(plan.decisionFor(id("b000007")).orElseThrow().keep());
        }

        @Test
        void theSameInstantsInUtcAreFourHours() {
            List<BackupEntry> history = series("b", Instant.parse("2025-10-25T23:00:00Z"), Duration.ofMinutes(15), 16);
            RetentionPlan plan = evaluate(history, NONE.withKeepHourly(3), UTC);
            List<Instant> keptTimes = plan.kept().stream().map(decision -> decision.backup().createdAt()).toList();
            assertEquals(List.of(Instant.parse("2025-10-26T02:45:00Z"), Instant.parse("2025-10-26T01:45:00Z"),
                    Instant.parse("2025-10-26T00:45:00Z")), keptTimes);
        }

        @ParameterizedTest(name = "{0}: a {1}-hour day is one day")
        @CsvSource({"2025-03-30, 23", "2025-10-26, 25", "2025-06-15, 24"})
        void aShortOrLongDayIsOneDay(String date, int hours) {
            Instant midnight = LocalDate.parse(date).atStartOfDay(BERLIN).toInstant();
            Instant nextMidnight = LocalDate.parse(date).plusDays(1).atStartOfDay(BERLIN).toInstant();
            assertEquals(hours, Duration.between(midnight, nextMidnight).toHours());
            // Hourly backups from the day before to the day after: keep-daily 3 keeps exactly one of each day,
            // the one at 23:00 local.
            List<BackupEntry> history = series("b", midnight.minus(Duration.ofDays(1)), Duration.ofHours(1), 24 + hours + 24);
            RetentionPlan plan = evaluate(history, NONE.withKeepDaily(3), BERLIN);
            assertEquals(3, plan.kept().size());
            plan.kept().forEach(decision -> assertEquals(23, decision.backup().createdAt().atZone(BERLIN).getHour()));
            assertEquals(nextMidnight.minus(Duration.ofHours(1)), plan.kept().get(1).backup().createdAt());
        }

        @Test
        void aBackupInTheRepeatedHourBelongsToItsLocalDay() {
            // 22:30Z on 25 October is 00:30 CEST and 00:30Z is 02:30 CEST (the first pass through 02): both on the
            // 26th in Berlin, on two days in UTC.
            List<BackupEntry> history = List.of(
                    available("late", Instant.parse("2025-10-26T00:30:00Z")),
                    available("early", Instant.parse("2025-10-25T22:30:00Z")));
            assertEquals(List.of("late"), kept(evaluate(history, NONE.withKeepDaily(2), BERLIN)));
            assertEquals(List.of("late", "early"), kept(evaluate(history, NONE.withKeepDaily(2), UTC)));
        }
    }

    @Nested
    class YearAndWeekBoundaries {

        @Test
        void isoWeek53BelongsToThePreviousWeekBasedYear() {
            // 2020-12-27 Sun = 2020-W52; 2020-12-31 Thu and 2021-01-03 Sun = 2020-W53; 2021-01-04 Mon = 2021-W01.
            List<BackupEntry> history = List.of(
                    available("w52", "2020-12-27T12:00", BERLIN),
                    available("w53-thu", "2020-12-31T12:00", BERLIN),
                    available("w53-sun", "2021-01-03T12:00", BERLIN),
                    available("w01", "2021-01-04T12:00", BERLIN));
            RetentionPlan weekly = evaluate(history, NONE.withKeepWeekly(3), BERLIN);
            assertEquals(List.of("w01", "w53-sun", "w52"), kept(weekly));
            assertEquals("remove (not kept by any rule)", label(weekly, "w53-thu"));

            // By calendar year, though, 2020-12-31 is the newest backup of 2020.
            RetentionPlan yearly = evaluate(history, NONE.withKeepYearly(2), BERLIN);
            assertEquals(List.of("w01", "w53-thu"), kept(yearly));
        }

        @Test
        void theLastDaysOfDecemberCanBeWeekOneOfTheNextYear() {
            // 2019-12-30 (Monday) begins 2020-W01; 2019-12-29 (Sunday) ends 2019-W52.
            List<BackupEntry> history = List.of(
                    available("dec29", "2019-12-29T08:00", UTC),
                    available("dec30", "2019-12-30T08:00", UTC),
                    available("jan03", "2020-01-03T08:00", UTC));
            RetentionPlan plan = evaluate(history, NONE.withKeepWeekly(5), UTC);
            assertEquals(List.of("jan03", "dec29"), kept(plan));
            assertEquals(new RetentionRule.IsoWeek(2020, 1), RetentionRule.WEEKLY.periodOf(history.get(1), UTC));
        }

        @Test
        void theTimeZoneDecidesTheYear() {
            // 23:30Z on New Year's Eve is already 00:30 on 1 January in Berlin.
            List<BackupEntry> history = List.of(
                    available("eve", Instant.parse("2020-12-31T23:30:00Z")),
                    available("noon", Instant.parse("2020-12-31T12:00:00Z")));
            assertEquals(List.of("eve", "noon"), kept(evaluate(history, NONE.withKeepYearly(2), BERLIN)));
            assertEquals(List.of("eve"), kept(evaluate(history, NONE.withKeepYearly(2), UTC)));
        }

        @Test
        void theTimeZoneDecidesTheWeek() {
            // Sunday 2021-01-03 23:30Z is Monday 2021-01-04 00:30 in Berlin: 2021-W01 there, 2020-W53 in UTC.
            BackupEntry lateSunday = available("late-sunday", Instant.parse("2021-01-03T23:30:00Z"));
            assertEquals(new RetentionRule.IsoWeek(2021, 1), RetentionRule.WEEKLY.periodOf(lateSunday, BERLIN));
            assertEquals(new RetentionRule.IsoWeek(2020, 53), RetentionRule.WEEKLY.periodOf(lateSunday, UTC));
            List<BackupEntry> history = List.of(lateSunday, available("thursday", "2020-12-31T12:00", UTC));
            assertEquals(List.of("late-sunday", "thursday"), kept(evaluate(history, NONE.withKeepWeekly(2), BERLIN)));
            assertEquals(List.of("late-sunday"), kept(evaluate(history, NONE.withKeepWeekly(2), UTC)));
        }

        @Test
        void monthlyAcrossTheYearBoundary() {
            List<BackupEntry> history = daily(LocalDate.parse("2023-11-20"), LocalDate.parse("2024-01-10"), "12:00", BERLIN);
            RetentionPlan plan = evaluate(history, NONE.withKeepMonthly(3), BERLIN);
            assertEquals(List.of("2024-01-10", "2023-12-31", "2023-11-30"), kept(plan));
        }
    }

    @Nested
    class DenseAndSparseHistories {

        @Test
        void everyFifteenMinutesForTwoMonths() {
            Instant start = at("2025-01-01T00:00", BERLIN);
            Instant end = at("2025-03-01T00:00", BERLIN);
            int count = (int) Duration.between(start, end).toMinutes() / 15;
            List<BackupEntry> history = series("q", start, Duration.ofMinutes(15), count);
            assertEquals(5664, history.size());
            RetentionRules rules = new RetentionRules(4, 24, 7, 4, 6, 0);
            RetentionPlan plan = evaluate(history, rules, BERLIN);

            Map<RetentionRule, List<LocalDateTime>> keptByRule = new LinkedHashMap<>();
            plan.kept().forEach(decision -> keptByRule.computeIfAbsent(decision.rule().orElseThrow(), rule -> new ArrayList<>())
                    .add(LocalDateTime.ofInstant(decision.backup().createdAt(), BERLIN)));
            // keep-last 4: 23:00..23:45 on 28 February.
            assertEquals(List.of(LocalDateTime.parse("2025-02-28T23:45"), LocalDateTime.parse("2025-02-28T23:30"),
                    LocalDateTime.parse("2025-02-28T23:15"), LocalDateTime.parse("2025-02-28T23:00")), keptByRule.get(RetentionRule.LAST));
            // keep-hourly 24: hour 23 is covered; the :45 of 22:00 on the 28th back to 23:00 on the 27th.
            List<LocalDateTime> hourly = keptByRule.get(RetentionRule.HOURLY);
            assertEquals(24, hourly.size());
            assertEquals(LocalDateTime.parse("2025-02-28T22:45"), hourly.get(0));
            assertEquals(LocalDateTime.parse("2025-02-27T23:45"), hourly.get(23));
            // keep-daily 7: the 28th and 27th are covered; 23:45 on the 26th back to the 20th.
            assertEquals(IntStream.rangeClosed(20, 26).map(day -> 46 - day)
                    .mapToObj(day -> LocalDateTime.parse(String.format("2025-02-%02dT23:45", day))).toList(),
                    keptByRule.get(RetentionRule.DAILY));
            // keep-weekly 4: W09 (24.2.-2.3.) and W08 (17.-23.2.) are covered; Sundays of W07, W06, W05, W04.
            assertEquals(List.of(LocalDateTime.parse("2025-02-16T23:45"), LocalDateTime.parse("2025-02-09T23:45"),
                    LocalDateTime.parse("2025-02-02T23:45"), LocalDateTime.parse("2025-01-26T23:45")),
                    keptByRule.get(RetentionRule.WEEKLY));
            // keep-monthly 6: February is covered; January's newest backup (31st, W05) was marked by keep-weekly
            // as a second backup of W05, so January's monthly is the newest backup not in W05: Sunday the 26th
            // is already kept, so January is covered and there is nothing older.
            assertFalse(keptByRule.containsKey(RetentionRule.MONTHLY));
            assertEquals(4 + 24 + 7 + 4, plan.kept().size());
            assertEquals(count - plan.kept().size(), plan.removed().size());
        }

        @Test
        void oneBackupAMonthForThreeYears() {
            List<BackupEntry> history = new ArrayList<>();
            for (LocalDate month = LocalDate.parse("2022-01-15"); month.isBefore(LocalDate.parse("2025-01-01")); month = month.plusMonths(1)) {
                history.add(available("m" + month.toString().substring(0, 7), month + "T03:00", BERLIN));
            }
            RetentionPlan plan = evaluate(history, NONE.withKeepDaily(7).withKeepWeekly(4).withKeepMonthly(12).withKeepYearly(3),
                    BERLIN);
            Map<String, String> keptLabels = new LinkedHashMap<>();
            plan.kept().forEach(decision -> keptLabels.put(decision.backup().id().value(), decision.reason()));
            Map<String, String> expected = new LinkedHashMap<>();
            // Sparse backups: every rule finds each backup in a period of its own.
            for (String month : List.of("2024-12", "2024-11", "2024-10", "2024-09", "2024-08", "2024-07", "2024-06")) {
                expected.put("m" + month, "keep-daily");
            }
            for (String month : List.of("2024-05", "2024-04", "2024-03", "2024-02")) {
                expected.put("m" + month, "keep-weekly");
            }
            for (String month : List.of("2024-01", "2023-12", "2023-11", "2023-10", "2023-09", "2023-08", "2023-07",
                    "2023-06", "2023-05", "2023-04", "2023-03", "2023-02")) {
                expected.put("m" + month, "keep-monthly");
            }
            // 2024 and 2023 are covered; 2022's newest backup is December's; no older year exists.
            expected.put("m2022-12", "keep-yearly");
            assertEquals(expected, keptLabels);
            assertEquals(36 - 24, plan.removed().size());
        }

        @Test
        void aBackupEveryFewYearsWithKeepDaily() {
            // Rules count periods that hold a backup, not calendar periods back from today.
            List<BackupEntry> history = List.of(
                    available("old", "2010-06-01T00:00", UTC),
                    available("older", "2005-06-01T00:00", UTC),
                    available("oldest", "2000-06-01T00:00", UTC));
            assertEquals(List.of("old", "older"), kept(evaluate(history, NONE.withKeepDaily(2), UTC)));
        }
    }

    @Nested
    class Ties {

        private final Instant instant = Instant.parse("2024-07-01T10:00:00Z");
        private final List<BackupEntry> history = List.of(
                available("aaa", instant),
                available("ccc", instant),
                available("bbb", instant),
                available("older", instant.minusSeconds(60)));

        @Test
        void theGreaterIdCountsAsNewer() {
            assertEquals(List.of("ccc"), kept(evaluate(history, NONE.withKeepLast(1), UTC)));
            assertEquals(List.of("ccc"), kept(evaluate(history, NONE.withKeepHourly(1), UTC)));
            assertEquals(List.of("ccc", "bbb", "aaa", "older"),
                    evaluate(history, NONE, UTC).decisions().stream().map(decision -> decision.backup().id().value()).toList());
        }

        @Test
        void keepLastCountsEveryBackupOfTheSameInstant() {
            assertEquals(List.of("ccc", "bbb", "aaa"), kept(evaluate(history, NONE.withKeepLast(3), UTC)));
        }

        @Test
        void theInputOrderDoesNotMatter() {
            RetentionRules rules = NONE.withKeepLast(2).withKeepDaily(1);
            RetentionPlan reference = evaluate(history, rules, UTC);
            for (int seed = 0; seed < 20; seed++) {
                List<BackupEntry> shuffled = new ArrayList<>(history);
                Collections.shuffle(shuffled, new Random(seed));
                assertEquals(reference, evaluate(shuffled, rules, UTC));
            }
        }
    }

    @Nested
    class BackupsThatAreNotAvailable {

        @Test
        void areNotCountedByTheRules() {
            Instant base = Instant.parse("2024-02-01T00:00:00Z");
            List<BackupEntry> history = List.of(
                    available("a1", base),
                    available("a2", base.plus(Duration.ofDays(1))),
                    available("a3", base.plus(Duration.ofDays(2))),
                    available("failed", base.plus(Duration.ofDays(3))).withStatus(BackupStatus.ERROR),
                    available("running", base.plus(Duration.ofDays(4))).withStatus(BackupStatus.CREATING),
                    available("going", base.plus(Duration.ofDays(5))).withStatus(BackupStatus.DELETING),
                    available("gone", base.plus(Duration.ofDays(6))).withStatus(BackupStatus.DELETED),
                    available("damaged", base.plus(Duration.ofDays(7))).withStatus(BackupStatus.CORRUPT),
                    available("in-grace", base.plus(Duration.ofDays(8))).withStatus(BackupStatus.EXPIRING),
                    available("cinder", base.plus(Duration.ofDays(9))).withStatus(BackupStatus.FOREIGN));
            RetentionPlan plan = evaluate(history, NONE.withKeepLast(2).withKeepDaily(0), UTC);
            assertEquals(Map.of(
                    "cinder", "keep (another tool's: not Cairn's to remove)",
                    "damaged", "keep (corrupt: left to an operator)",
                    "going", "remove (deleting)",
                    "running", "keep (in progress)",
                    "failed", "remove (error)",
                    "a3", "keep (keep-last)",
                    "a2", "keep (keep-last)",
                    "a1", "remove (not kept by any rule)"), labels(plan));
            assertEquals(List.of("cinder", "damaged", "going", "running", "failed", "a3", "a2", "a1"),
                    List.copyOf(labels(plan).keySet()));
            assertTrue(plan.decisionFor(id("gone")).isEmpty(), "deleted backups get no decision");
            assertTrue(plan.decisionFor(id("in-grace")).isEmpty(), "expiring backups get no decision");
        }

        @Test
        void theParentOfABackupInProgressStaysWhateverTheBackend() {
            // A crash left "stale" in creating, taken relative to p1; newer backups followed.
            Instant base = Instant.parse("2024-02-01T00:00:00Z");
            List<BackupEntry> history = List.of(
                    available("p1", base),
                    BackupEntry.incremental(id("stale"), id("p1"), base.plusSeconds(60), BackupStatus.CREATING),
                    available("p2", base.plus(Duration.ofDays(1))),
                    available("p3", base.plus(Duration.ofDays(2))));
            for (RestorePointDependency dependency : RestorePointDependency.values()) {
                RetentionPlan plan = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, dependency);
                assertEquals("keep (parent of in-progress stale)", label(plan, "p1"));
                assertEquals("keep (in progress)", label(plan, "stale"));
                assertEquals("remove (not kept by any rule)", label(plan, "p2"));
            }
        }
    }

    @Nested
    class TheNewestAvailableBackup {

        @Test
        void isKeptWhenNewerOnesFailed() {
            Instant base = Instant.parse("2024-02-01T00:00:00Z");
            List<BackupEntry> history = new ArrayList<>(series("ok", base, Duration.ofDays(1), 5));
            for (int i = 0; i < 10; i++) {
                history.add(available("failed" + i, base.plus(Duration.ofDays(10 + i))).withStatus(BackupStatus.ERROR));
            }
            RetentionPlan plan = evaluate(history, NONE.withKeepYearly(1), UTC);
            assertEquals(List.of("ok000004"), kept(plan));
            assertEquals(14, plan.removed().size());
        }

        @ParameterizedTest
        @EnumSource(RetentionRule.class)
        void isKeptByEveryRuleWithACountOfOne(RetentionRule rule) {
            // The rules already keep it; the guarantee stands on its own in RetentionPolicy, and the random
            // histories below check it over many rules and calendars.
            List<BackupEntry> history = series("b", Instant.parse("2023-03-01T00:00:00Z"), Duration.ofHours(5), 500);
            RetentionPlan plan = evaluate(history, NONE.with(rule, 1), BERLIN);
            assertEquals(List.of("b000499"), kept(plan));
        }
    }

    @Nested
    class Ancestors {

        private final Instant base = Instant.parse("2024-04-01T02:00:00Z");

        @Test
        void areKeptForBackendsWhoseBackupsDependOnTheirParent() {
            List<BackupEntry> history = chain("c", base, Duration.ofDays(1), 6);
            RetentionPlan plan = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, DEPENDS);
            assertEquals(List.of("c6", "c5", "c4", "c3", "c2", "c1", "c0"), kept(plan));
            assertEquals("keep (keep-last)", label(plan, "c6"));
            for (int i = 0; i < 6; i++) {
                assertEquals("keep (ancestor of c6)", label(plan, "c" + i));
            }
        }

        @Test
        void areNotKeptForIndependentRestorePoints() {
            List<BackupEntry> history = chain("c", base, Duration.ofDays(1), 6);
            RetentionPlan plan = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, INDEPENDENT);
            assertEquals(List.of("c6"), kept(plan));
        }

        @Test
        void onlyTheChainsOfKeptBackupsAreKept() {
            // Chain a: a0..a3 on days 0-3; chain b: b0..b3 on days 4-7, one backup a day.
            List<BackupEntry> history = new ArrayList<>(chain("a", base, Duration.ofDays(1), 3));
            history.addAll(chain("b", base.plus(Duration.ofDays(4)), Duration.ofDays(1), 3));

            RetentionPlan lastOnly = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, DEPENDS);
            assertEquals(List.of("b3", "b2", "b1", "b0"), kept(lastOnly));

            // keep-daily 3 keeps b2, b1, b0 by itself: chain a goes entirely.
            RetentionPlan dailyWithinB = RetentionPolicy.evaluate(history, NONE.withKeepLast(1).withKeepDaily(3), UTC, DEPENDS);
            assertEquals(List.of("b3", "b2", "b1", "b0"), kept(dailyWithinB));
            assertEquals("keep (keep-daily)", label(dailyWithinB, "b0"));

            // keep-daily 4 reaches a3, which needs all of chain a.
            RetentionPlan dailyIntoA = RetentionPolicy.evaluate(history, NONE.withKeepLast(1).withKeepDaily(4), UTC, DEPENDS);
            assertEquals(List.of("b3", "b2", "b1", "b0", "a3", "a2", "a1", "a0"), kept(dailyIntoA));
            assertEquals("keep (keep-daily)", label(dailyIntoA, "a3"));
            for (String ancestor : List.of("a2", "a1", "a0")) {
                assertEquals("keep (ancestor of a3)", label(dailyIntoA, ancestor));
            }
        }

        @Test
        void areNamedAfterTheNewestKeptDescendant() {
            // c0 <- c1 <- c2 <- c3 <- c4; keep-last 1 keeps c4, keep-daily 1 keeps c3 (day 4 is covered): the
            // rest is named after c4, the newest backup that needs it; c3 keeps its own rule.
            List<BackupEntry> history = chain("c", base, Duration.ofDays(1), 4);
            RetentionPlan plan = RetentionPolicy.evaluate(history,
                    NONE.withKeepLast(1).withKeepDaily(1), UTC, DEPENDS);
            assertEquals("keep (keep-last)", label(plan, "c4"));
            assertEquals("keep (keep-daily)", label(plan, "c3"));
            assertEquals("keep (ancestor of c4)", label(plan, "c2"));
            assertEquals("keep (ancestor of c4)", label(plan, "c0"));
        }

        @Test
        void aBrokenChainIsFollowedNoFurther() {
            // c1 was deleted (by hand, say): c2 cannot be restored anyway, and c0 is of no use to it.
            List<BackupEntry> history = new ArrayList<>(chain("c", base, Duration.ofDays(1), 3));
            history.set(1, history.get(1).withStatus(BackupStatus.DELETED));
            RetentionPlan plan = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, DEPENDS);
            assertEquals(List.of("c3", "c2"), kept(plan));
            assertEquals("remove (not kept by any rule)", label(plan, "c0"));
        }

        @Test
        void areKeptForABackupInProgress() {
            List<BackupEntry> history = new ArrayList<>(chain("c", base, Duration.ofDays(1), 3));
            history.add(BackupEntry.incremental(id("next"), id("c1"), base.plus(Duration.ofDays(9)), BackupStatus.CREATING));
            RetentionPlan plan = RetentionPolicy.evaluate(history, NONE.withKeepLast(1), UTC, DEPENDS);
            assertEquals("keep (in progress)", label(plan, "next"));
            assertEquals("keep (keep-last)", label(plan, "c3"));
            assertEquals("keep (ancestor of c3)", label(plan, "c2"));
            assertEquals("keep (parent of in-progress next)", label(plan, "c1"));
            assertEquals("keep (ancestor of next)", label(plan, "c0"));
        }
    }

    @Nested
    class ArgumentChecks {

        @Test
        void duplicateIdsAreRefused() {
            List<BackupEntry> history = List.of(available("same", "2024-01-01T00:00", UTC), available("same", "2024-01-02T00:00", UTC));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> evaluate(history, NONE.withKeepLast(1), UTC));
            assertEquals("backup same appears twice in the history", error.getMessage());
        }

        @Test
        void negativeCountsAreRefused() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> NONE.withKeepWeekly(-1));
            assertEquals("keep-weekly must not be negative, not -1", error.getMessage());
        }

        @Test
        void rulesDescribeThemselvesAsPbsPrintsThem() {
            assertEquals("keep-last 3, keep-daily 7, keep-yearly 1", NONE.withKeepLast(3).withKeepDaily(7).withKeepYearly(1).describe());
        }

        @Test
        void aBackupCannotBeItsOwnParent() {
            assertThrows(IllegalArgumentException.class, () -> incremental("x", "x", Instant.EPOCH));
        }
    }

    /**
     * Random histories over many zones, checked against a line-by-line transcription of PBS's
     * {@code compute_prune_info} (pbs-datastore/src/prune.rs) that uses strftime-like text keys, as PBS does,
     * instead of {@link RetentionRule}'s typed periods - and against the guarantees Cairn adds.
     */
    @Nested
    class RandomHistories {

        private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
                ZoneId.of("America/New_York"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kathmandu"),
                ZoneId.of("Pacific/Chatham"), ZoneId.of("America/Sao_Paulo"));

        static Stream<Long> seeds() {
            return LongStream.range(0, 300).boxed();
        }

        @ParameterizedTest
        @MethodSource("seeds")
        void matchPbsAndKeepCairnsPromises(long seed) {
            Random random = new Random(seed);
            List<BackupEntry> history = randomHistory(random);
            RetentionRules rules = randomRules(random);
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            RestorePointDependency dependency = RestorePointDependency.values()[random.nextInt(2)];

            RetentionPlan plan = RetentionPolicy.evaluate(history, rules, zone, dependency);
            Map<BackupId, BackupEntry> byId = history.stream().collect(Collectors.toMap(BackupEntry::id, Function.identity()));
            List<BackupEntry> existing = history.stream().filter(entry -> entry.status() != BackupStatus.DELETED
                            && entry.status() != BackupStatus.EXPIRING)
                    .sorted(BackupEntry.NEWEST_FIRST).toList();
            assertEquals(existing, plan.decisions().stream().map(RetentionDecision::backup).toList(), "one decision each, newest first");

            List<BackupEntry> available = existing.stream().filter(BackupEntry::isAvailable).toList();
            Map<BackupId, String> pbs = rules.keepsEverything() ? null : pbsMarks(available, rules, zone);
            for (RetentionDecision decision : plan.decisions()) {
                BackupEntry backup = decision.backup();
                switch (backup.status()) {
                    case CREATING -> assertEquals("keep (in progress)", decision.label());
                    case ERROR -> assertEquals("remove (error)", decision.label());
                    case DELETING -> assertEquals("remove (deleting)", decision.label());
                    case AVAILABLE -> {
                        if (pbs == null) {
                            assertEquals("keep (no retention rule)", decision.label());
                        } else if (!pbs.get(backup.id()).equals("remove")) {
                            assertEquals("keep (" + pbs.get(backup.id()) + ")", decision.label(), backup.id().value());
                        } else if (decision.keep()) {
                            // PBS removes it; only Cairn's additions may keep it, and must say which descendant needs it.
                            assertAddedKeepIsJustified(decision, byId, plan, dependency);
                        }
                    }
                    case CORRUPT -> assertEquals("keep (corrupt: left to an operator)", decision.label());
                    case FOREIGN -> assertEquals("keep (another tool's: not Cairn's to remove)", decision.label());
                    case DELETED, EXPIRING -> throw new AssertionError("deleted and expiring backups get no decision");
                }
            }
            if (!available.isEmpty()) {
                assertTrue(plan.decisionFor(available.get(0).id()).orElseThrow().keep(), "newest available kept");
            }
            for (RetentionRule rule : RetentionRule.values()) {
                long keptByRule = plan.kept().stream().filter(decision -> decision.rule().equals(Optional.of(rule))).count();
                assertTrue(keptByRule <= rules.count(rule), rule + " kept more than its count");
            }
            if (dependency == RestorePointDependency.DEPENDS_ON_PARENT) {
                assertAncestorsOfKeptBackupsAreKept(plan, byId);
            }
            assertPruningAgainChangesNothing(history, plan, rules, zone, dependency);
        }

        private void assertAddedKeepIsJustified(RetentionDecision decision, Map<BackupId, BackupEntry> byId,
                RetentionPlan plan, RestorePointDependency dependency) {
            String reason = decision.reason();
            if (reason.startsWith("parent of in-progress ")) {
                BackupEntry child = byId.get(id(reason.substring("parent of in-progress ".length())));
                assertEquals(BackupStatus.CREATING, child.status());
                assertEquals(Optional.of(decision.backup().id()), child.parent());
            } else if (reason.startsWith("ancestor of ")) {
                assertEquals(RestorePointDependency.DEPENDS_ON_PARENT, dependency);
                BackupEntry descendant = byId.get(id(reason.substring("ancestor of ".length())));
                assertTrue(plan.decisionFor(descendant.id()).orElseThrow().keep());
                assertTrue(ancestors(descendant, byId).contains(decision.backup().id()));
            } else {
                throw new AssertionError("unexpected keep of " + decision.backup().id() + ": " + decision.label());
            }
        }

        private void assertAncestorsOfKeptBackupsAreKept(RetentionPlan plan, Map<BackupId, BackupEntry> byId) {
            for (RetentionDecision decision : plan.kept()) {
                BackupEntry current = decision.backup();
                while (current.parent().isPresent() && byId.containsKey(current.parent().get())
                        && byId.get(current.parent().get()).isAvailable()) {
                    current = byId.get(current.parent().get());
                    assertTrue(plan.decisionFor(current.id()).orElseThrow().keep(),
                            current.id() + ", an ancestor of kept " + decision.backup().id() + ", is removed");
                }
            }
        }

        /** After the removals are done, the same rules keep everything that is left. */
        private void assertPruningAgainChangesNothing(List<BackupEntry> history, RetentionPlan plan, RetentionRules rules,
                ZoneId zone, RestorePointDependency dependency) {
            Set<BackupId> removed = plan.removed().stream().map(decision -> decision.backup().id()).collect(Collectors.toSet());
            List<BackupEntry> afterPrune = history.stream()
                    .map(entry -> removed.contains(entry.id()) ? entry.withStatus(BackupStatus.DELETED) : entry)
                    .toList();
            RetentionPlan again = RetentionPolicy.evaluate(afterPrune, rules, zone, dependency);
            assertEquals(List.of(), again.removed().stream().map(decision -> decision.backup().id().value()).toList());
        }

        private Set<BackupId> ancestors(BackupEntry entry, Map<BackupId, BackupEntry> byId) {
            Set<BackupId> ancestors = new HashSet<>();
            Optional<BackupId> parent = entry.parent();
            while (parent.isPresent() && byId.containsKey(parent.get()) && ancestors.add(parent.get())) {
                parent = byId.get(parent.get()).parent();
            }
            return ancestors;
        }

        private List<BackupEntry> randomHistory(Random random) {
            int count = random.nextInt(250);
            Instant time = Instant.parse("2019-01-01T00:00:00Z").plusSeconds(random.nextInt(86_400 * 365));
            List<BackupEntry> entries = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int gapKind = random.nextInt(10);
                long gapSeconds = switch (gapKind) {
                    case 0 -> 0; // a tie
                    case 1, 2, 3 -> 60L * (1 + random.nextInt(59));
                    case 4, 5, 6 -> 3600L * (1 + random.nextInt(24));
                    case 7, 8 -> 86_400L * (1 + random.nextInt(10));
                    default -> 86_400L * (20 + random.nextInt(200));
                };
                time = time.plusSeconds(gapSeconds);
                BackupStatus status = switch (random.nextInt(20)) {
                    case 0 -> BackupStatus.ERROR;
                    case 1 -> BackupStatus.CREATING;
                    case 2 -> BackupStatus.DELETING;
                    case 3 -> BackupStatus.DELETED;
                    case 4 -> BackupStatus.CORRUPT;
                    case 5 -> BackupStatus.EXPIRING;
                    case 6 -> BackupStatus.FOREIGN;
                    default -> BackupStatus.AVAILABLE;
                };
                String entryId = String.format("r%04d-%02d", i, random.nextInt(100));
                if (entries.isEmpty() || random.nextInt(6) == 0) {
                    entries.add(BackupEntry.full(id(entryId), time, status));
                } else {
                    // Usually the newest backup is the parent; now and then an older one.
                    int back = random.nextInt(4) == 0 ? random.nextInt(Math.min(entries.size(), 5)) : 0;
                    BackupId parent = entries.get(entries.size() - 1 - back).id();
                    entries.add(BackupEntry.incremental(id(entryId), parent, time, status));
                }
            }
            Collections.shuffle(entries, random);
            return entries;
        }

        private RetentionRules randomRules(Random random) {
            RetentionRules rules = RetentionRules.KEEP_EVERYTHING;
            for (RetentionRule rule : RetentionRule.values()) {
                if (random.nextInt(3) > 0) {
                    rules = rules.with(rule, random.nextInt(12));
                }
            }
            return rules;
        }
    }

    /**
     * PBS's {@code compute_prune_info} and {@code mark_selections}, transcribed: marks keyed by id, selection ids
     * from the local time formatted as PBS formats them with {@code strftime_local} ("%Y/%m/%d/%H", "%Y/%m/%d",
     * "%G/%V", "%Y/%m", "%Y"). One deliberate difference: keep-last keys on the backup's id, where PBS keys on
     * its time, because PBS cannot hold two backups of one group at the same second and Cairn can.
     */
    static Map<BackupId, String> pbsMarks(List<BackupEntry> available, RetentionRules rules, ZoneId zone) {
        List<BackupEntry> list = available.stream().sorted(BackupEntry.NEWEST_FIRST).toList();
        Map<BackupId, String> mark = new HashMap<>();
        DateTimeFormatter hour = DateTimeFormatter.ofPattern("uuuu/MM/dd/HH");
        DateTimeFormatter day = DateTimeFormatter.ofPattern("uuuu/MM/dd");
        DateTimeFormatter month = DateTimeFormatter.ofPattern("uuuu/MM");
        DateTimeFormatter year = DateTimeFormatter.ofPattern("uuuu");
        Map<RetentionRule, Function<BackupEntry, String>> selectIds = new LinkedHashMap<>();
        selectIds.put(RetentionRule.LAST, entry -> entry.id().value());
        selectIds.put(RetentionRule.HOURLY, entry -> hour.format(entry.createdAt().atZone(zone)));
        selectIds.put(RetentionRule.DAILY, entry -> day.format(entry.createdAt().atZone(zone)));
        selectIds.put(RetentionRule.WEEKLY, entry -> {
            String isoWeekDate = DateTimeFormatter.ISO_WEEK_DATE.format(entry.createdAt().atZone(zone)); // 2020-W53-7+01:00
            return isoWeekDate.substring(0, isoWeekDate.indexOf('W') + 3);
        });
        selectIds.put(RetentionRule.MONTHLY, entry -> month.format(entry.createdAt().atZone(zone)));
        selectIds.put(RetentionRule.YEARLY, entry -> year.format(entry.createdAt().atZone(zone)));

        for (Map.Entry<RetentionRule, Function<BackupEntry, String>> option : selectIds.entrySet()) {
            int keep = rules.count(option.getKey());
            Function<BackupEntry, String> selectId = option.getValue();
            Set<String> includeHash = new HashSet<>();
            Set<String> alreadyIncluded = new HashSet<>();
            for (BackupEntry info : list) {
                String existing = mark.get(info.id());
                if (existing != null && !existing.equals("remove")) {
                    alreadyIncluded.add(selectId.apply(info));
                }
            }
            for (BackupEntry info : list) {
                if (mark.containsKey(info.id())) {
                    continue;
                }
                String selId = selectId.apply(info);
                if (alreadyIncluded.contains(selId)) {
                    continue;
                }
                if (!includeHash.contains(selId)) {
                    if (includeHash.size() >= keep) {
                        break;
                    }
                    includeHash.add(selId);
                    mark.put(info.id(), option.getKey().label());
                } else {
                    mark.put(info.id(), "remove");
                }
            }
        }
        list.forEach(info -> mark.putIfAbsent(info.id(), "remove"));
        return mark;
    }
}
