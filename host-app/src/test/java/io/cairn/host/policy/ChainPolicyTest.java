package io.cairn.host.policy;

import static io.cairn.host.policy.PolicyHistories.BERLIN;
import static io.cairn.host.policy.PolicyHistories.at;
import static io.cairn.host.policy.PolicyHistories.available;
import static io.cairn.host.policy.PolicyHistories.chain;
import static io.cairn.host.policy.PolicyHistories.id;
import static io.cairn.host.policy.PolicyHistories.incremental;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChainPolicyTest {

    private static final Capabilities INDEPENDENT = new Capabilities(true, RestorePointDependency.INDEPENDENT, true, false);
    private static final Capabilities DEPENDS = new Capabilities(true, RestorePointDependency.DEPENDS_ON_PARENT, false, false);
    private static final Capabilities FULL_ONLY = new Capabilities(false, RestorePointDependency.INDEPENDENT, false, false);

    private static final Instant START = Instant.parse("2024-06-03T01:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static final VolumeRef VOLUME = new VolumeRef("volumes/db1");

    private static ChainDecision decide(List<BackupEntry> history, Instant now, ChainRules rules) {
        return ChainPolicy.decide(VOLUME, history, now, rules, INDEPENDENT, false);
    }

    /** The decision's verdict, parent and reason, the reason as {@link ChainDecision#toString()} words it. */
    private static void assertDecision(BackupKind kind, Optional<BackupId> parent, String reason, ChainDecision decision) {
        assertEquals(kind, decision.kind(), decision.toString());
        assertEquals(parent, decision.parent(), decision.toString());
        assertEquals(reason, decision.toString());
    }

    private static ChainRules fullEvery(int count) {
        return ChainRules.UNLIMITED.withFullEvery(count);
    }

    private static ChainRules fullAfter(Duration age) {
        return ChainRules.UNLIMITED.withFullAfter(age);
    }

    @Nested
    class NothingToDiffFrom {

        @Test
        void anEmptyHistoryStartsAChain() {
            ChainDecision decision = decide(List.of(), START, fullEvery(7));
            assertDecision(BackupKind.FULL, Optional.empty(), "full: no available backup", decision);
        }

        @Test
        void backupsThatAreNotAvailableAreNoParents() {
            List<BackupEntry> history = List.of(
                    available("failed", START).withStatus(BackupStatus.ERROR),
                    available("running", START.plus(DAY)).withStatus(BackupStatus.CREATING),
                    available("going", START.plus(DAY.multipliedBy(2))).withStatus(BackupStatus.DELETING),
                    available("gone", START.plus(DAY.multipliedBy(3))).withStatus(BackupStatus.DELETED));
            assertEquals("full: no available backup", decide(history, START.plus(DAY.multipliedBy(4)), ChainRules.UNLIMITED).toString());
        }

        @Test
        void anotherToolsBackupIsNoParent() {
            List<BackupEntry> history = List.of(available("cinder", START).withStatus(BackupStatus.FOREIGN));
            assertEquals("full: no available backup", decide(history, START.plus(DAY), ChainRules.UNLIMITED).toString());
        }

        @Test
        void anExpiringBackupIsNoParent() {
            List<BackupEntry> history = List.of(available("kept", START),
                    incremental("deleted-in-grace", "kept", START.plus(DAY)).withStatus(BackupStatus.EXPIRING));
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(2)), ChainRules.UNLIMITED);
            assertEquals(Optional.of(id("kept")), decision.parent(), decision.toString());
        }

        @Test
        void aCorruptNewestBackupStartsANewChainNamingIt() {
            List<BackupEntry> history = List.of(available("good", START),
                    incremental("damaged", "good", START.plus(DAY)).withStatus(BackupStatus.CORRUPT));
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(2)), fullEvery(7));
            assertDecision(BackupKind.FULL, Optional.empty(), "full: the newest backup " + id("damaged")
                    + " is corrupt (a verify found damage in it), so it is no parent", decision);
            assertEquals(ChainReason.Cause.PARENT_CORRUPT, decision.reason().cause());
            assertEquals(new ChainReason.ParentCorrupt(id("damaged")), decision.reason());
            assertTrue(decision.describe(VOLUME).startsWith("full backup, new chain: the newest backup "),
                    decision.describe(VOLUME));
        }

        @Test
        void aCorruptAncestorBreaksTheChainOfABackendThatNeedsIt() {
            List<BackupEntry> history = List.of(available("damaged", START).withStatus(BackupStatus.CORRUPT),
                    incremental("child", "damaged", START.plus(DAY)));
            ChainDecision decision = ChainPolicy.decide(VOLUME, history, START.plus(DAY.multipliedBy(2)),
                    ChainRules.UNLIMITED, DEPENDS, false);
            assertEquals("full: the chain of " + id("child") + " is broken: its ancestor " + id("damaged")
                    + " is corrupt", decision.toString());
        }
    }

    @Nested
    class FullRegardless {

        @Test
        void whenForced() {
            List<BackupEntry> history = chain("c", START, DAY, 2);
            ChainDecision decision = ChainPolicy.decide(VOLUME, history, START.plus(DAY.multipliedBy(3)), fullEvery(7), INDEPENDENT, true);
            assertDecision(BackupKind.FULL, Optional.empty(), "full: forced", decision);
        }

        @Test
        void whenTheBackendCannotTakeIncrementalBackups() {
            List<BackupEntry> history = chain("c", START, DAY, 2);
            ChainDecision decision = ChainPolicy.decide(VOLUME, history, START.plus(DAY.multipliedBy(3)), ChainRules.UNLIMITED, FULL_ONLY, false);
            assertEquals("full: the backend does not support incremental backups", decision.toString());
            assertTrue(decision.isFull());
        }
    }

    @Nested
    class FullEvery {

        @ParameterizedTest(name = "a chain of {0} with full_every 7")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6})
        void growsBelowTheLimit(int length) {
            List<BackupEntry> history = chain("c", START, DAY, length - 1);
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(length)), fullEvery(7));
            assertEquals(BackupKind.INCREMENTAL, decision.kind());
            assertEquals(Optional.of(id("c" + (length - 1))), decision.parent());
            assertEquals("incremental: chain of " + length + " < full_every 7", decision.toString());
        }

        @ParameterizedTest(name = "a chain of {0} with full_every 7")
        @ValueSource(ints = {7, 8, 30})
        void startsANewChainAtTheLimit(int length) {
            // 30: a chain that grew under an older, looser rule is cut at the next backup.
            List<BackupEntry> history = chain("c", START, DAY, length - 1);
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(length)), fullEvery(7));
            assertDecision(BackupKind.FULL, Optional.empty(), "full: chain of " + length + " reached full_every 7", decision);
        }

        @Test
        void oneMeansEveryBackupIsFull() {
            assertEquals("full: chain of 1 reached full_every 1", decide(chain("c", START, DAY, 0), START.plus(DAY), fullEvery(1)).toString());
        }

        @Test
        void countsOnlyTheCurrentChain() {
            List<BackupEntry> history = new ArrayList<>(chain("old", START, DAY, 10));
            history.addAll(chain("new", START.plus(DAY.multipliedBy(11)), DAY, 1));
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(13)), fullEvery(7));
            assertEquals("incremental: chain of 2 < full_every 7", decision.toString());
            assertEquals(Optional.of(id("new1")), decision.parent());
        }

        @Test
        void countsBackupsRetentionDeletedFromAnIndependentBackend() {
            // c0..c5, of which retention removed c1..c4: the chain still holds six backups.
            List<BackupEntry> history = new ArrayList<>(chain("c", START, DAY, 5));
            for (int i = 1; i <= 4; i++) {
                history.set(i, history.get(i).withStatus(BackupStatus.DELETED));
            }
            assertEquals("incremental: chain of 6 < full_every 7", decide(history, START.plus(DAY.multipliedBy(6)), fullEvery(7)).toString());
            assertEquals("full: chain of 6 reached full_every 6", decide(history, START.plus(DAY.multipliedBy(6)), fullEvery(6)).toString());
        }

        @Test
        void followsTheParentsNotTheTimes() {
            // A branch: b2 was taken from c1 (c2 had been deleted by hand), so its chain is c0, c1, b2.
            List<BackupEntry> history = new ArrayList<>(chain("c", START, DAY, 2));
            history.set(2, history.get(2).withStatus(BackupStatus.DELETED));
            history.add(incremental("b2", "c1", START.plus(DAY.multipliedBy(3))));
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(4)), fullEvery(4));
            assertEquals("incremental: chain of 3 < full_every 4", decision.toString());
            assertEquals(Optional.of(id("b2")), decision.parent());
        }
    }

    @Nested
    class FullAfter {

        @ParameterizedTest(name = "full taken {0} ago, full_after 7d: {1}")
        @CsvSource({
            "PT1H, incremental: chain started 1h ago < full_after 7d",
            "P6D, incremental: chain started 6d ago < full_after 7d",
            "PT167H59M59S, incremental: chain started 6d 23h ago < full_after 7d",
            "P7D, 'full: chain started 7d ago, full_after 7d'",
            "PT192H30M, 'full: chain started 8d ago, full_after 7d'",
            "PT200H, 'full: chain started 8d 8h ago, full_after 7d'",
            "P400D, 'full: chain started 400d ago, full_after 7d'",
        })
        void comparesTheAgeOfTheChainsFullBackup(Duration age, String reason) {
            // The parent is recent; only the full backup's age matters.
            Instant now = START.plus(age);
            List<BackupEntry> history = List.of(
                    available("c0", START),
                    incremental("c1", "c0", now.minus(Duration.ofMinutes(30))));
            assertEquals(reason, decide(history, now, fullAfter(Duration.ofDays(7))).toString());
        }

        @Test
        void isElapsedTimeNotCalendarDays() {
            // A full at noon on Saturday 29 March 2025 in Berlin; a week later at noon the clocks have sprung
            // forward, so only 6 days 23 hours have passed: not yet 7d.
            Instant full = at("2025-03-29T12:00", BERLIN);
            Instant now = at("2025-04-05T12:00", BERLIN);
            ChainDecision decision = decide(List.of(available("c0", full)), now, fullAfter(Duration.ofDays(7)));
            assertEquals("incremental: chain started 6d 23h ago < full_after 7d", decision.toString());
            // And a week after a fall-back change, 7 days 1 hour have.
            Instant autumnFull = at("2025-10-25T12:00", BERLIN);
            Instant autumnNow = at("2025-11-01T12:00", BERLIN);
            assertEquals("full: chain started 7d 1h ago, full_after 7d",
                    decide(List.of(available("c0", autumnFull)), autumnNow, fullAfter(Duration.ofDays(7))).toString());
        }

        @Test
        void aFullBackupFromTheFutureIsNotOld() {
            // A skewed clock on another host stamped the full an hour ahead.
            ChainDecision decision = decide(List.of(available("c0", START.plus(Duration.ofHours(1)))), START,
                    fullAfter(Duration.ofDays(7)));
            assertEquals("incremental: chain started 0s ago < full_after 7d", decision.toString());
        }

        @Test
        void usesTheFullBackupEvenWhenRetentionDeletedIt() {
            List<BackupEntry> history = new ArrayList<>(chain("c", START, DAY, 3));
            history.set(0, history.get(0).withStatus(BackupStatus.DELETED));
            assertEquals("full: chain started 9d ago, full_after 7d",
                    decide(history, START.plus(DAY.multipliedBy(9)), fullAfter(Duration.ofDays(7))).toString());
        }
    }

    @Nested
    class BothRules {

        private final ChainRules rules = fullEvery(7).withFullAfter(Duration.ofDays(7));

        @Test
        void incrementalWhenNeitherAsksForAFull() {
            ChainDecision decision = decide(chain("c", START, DAY, 2), START.plus(DAY.multipliedBy(3)), rules);
            assertEquals("incremental: chain of 3 < full_every 7, chain started 3d ago < full_after 7d", decision.toString());
        }

        @Test
        void fullWhenTheCountIsReached() {
            List<BackupEntry> history = chain("c", START, Duration.ofHours(1), 6);
            assertEquals("full: chain of 7 reached full_every 7", decide(history, START.plus(DAY), rules).toString());
        }

        @Test
        void fullWhenTheAgeIsReached() {
            List<BackupEntry> history = chain("c", START, Duration.ofDays(3), 2);
            assertEquals("full: chain started 8d ago, full_after 7d", decide(history, START.plus(DAY.multipliedBy(8)), rules).toString());
        }

        @Test
        void bothAreNamedWhenBothAsk() {
            List<BackupEntry> history = chain("c", START, DAY, 9);
            assertEquals("full: chain of 10 reached full_every 7; chain started 10d ago, full_after 7d",
                    decide(history, START.plus(DAY.multipliedBy(10)), rules).toString());
        }

        @Test
        void withoutRulesTheChainGrows() {
            ChainDecision decision = decide(chain("c", START, DAY, 11), START.plus(DAY.multipliedBy(400)), ChainRules.UNLIMITED);
            assertEquals("incremental: chain of 12, no full_every or full_after set", decision.toString());
            assertEquals(Optional.of(id("c11")), decision.parent());
        }

        @Test
        void rulesDescribeThemselves() {
            assertEquals("full_every 7, full_after 7d", rules.describe());
            assertEquals("no chain limit", ChainRules.UNLIMITED.describe());
        }
    }

    @Nested
    class TheParent {

        @Test
        void isTheNewestAvailableBackup() {
            List<BackupEntry> history = new ArrayList<>(chain("c", START, DAY, 3));
            history.add(incremental("failed", "c3", START.plus(DAY.multipliedBy(4))).withStatus(BackupStatus.ERROR));
            history.add(incremental("running", "c3", START.plus(DAY.multipliedBy(5))).withStatus(BackupStatus.CREATING));
            ChainDecision decision = decide(history, START.plus(DAY.multipliedBy(6)), fullEvery(7));
            assertEquals(Optional.of(id("c3")), decision.parent());
            assertEquals("incremental: chain of 4 < full_every 7", decision.toString());
        }

        @Test
        void ofTwoBackupsAtTheSameInstantIsTheOneWithTheGreaterId() {
            List<BackupEntry> history = List.of(available("aaa", START), available("bbb", START));
            assertEquals(Optional.of(id("bbb")), decide(history, START.plus(DAY), fullEvery(3)).parent());
            assertEquals(Optional.of(id("bbb")), decide(List.of(history.get(1), history.get(0)), START.plus(DAY), fullEvery(3)).parent());
        }
    }

    @Nested
    class BrokenChains {

        @Test
        void aParentMissingFromTheHistoryStartsANewChain() {
            List<BackupEntry> history = List.of(incremental("c2", "c1", START), available("other", START.minus(DAY)));
            assertEquals("full: the chain of c2 cannot be followed: c1, the parent of c2, is not in the history",
                    decide(history, START.plus(DAY), ChainRules.UNLIMITED).toString());
        }

        @Test
        void anAncestorThatIsGoneBreaksTheChainOfADependentBackend() {
            List<BackupEntry> history = new ArrayList<>(chain("c", START, DAY, 3));
            history.set(1, history.get(1).withStatus(BackupStatus.DELETED));
            ChainDecision dependent = ChainPolicy.decide(VOLUME, history, START.plus(DAY.multipliedBy(4)), fullEvery(7), DEPENDS, false);
            assertEquals("full: the chain of c3 is broken: its ancestor c1 is deleted", dependent.toString());
            // An independent backend restores c3 without c1: the chain goes on.
            ChainDecision independent = ChainPolicy.decide(VOLUME, history, START.plus(DAY.multipliedBy(4)), fullEvery(7), INDEPENDENT, false);
            assertEquals("incremental: chain of 4 < full_every 7", independent.toString());
        }

        @Test
        void aLoopOfParentsStartsANewChain() {
            List<BackupEntry> history = List.of(incremental("a", "b", START), incremental("b", "a", START.plus(DAY)));
            assertEquals("full: the chain of b loops at b", decide(history, START.plus(DAY.multipliedBy(2)), ChainRules.UNLIMITED).toString());
        }
    }

    @Nested
    class ArgumentChecks {

        @Test
        void duplicateIdsAreRefused() {
            List<BackupEntry> history = List.of(available("same", START), available("same", START.plus(DAY)));
            assertThrows(IllegalArgumentException.class, () -> decide(history, START, ChainRules.UNLIMITED));
        }

        @Test
        void fullEveryIsAtLeastOne() {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> fullEvery(0));
            assertEquals("full_every must be at least 1, not 0", error.getMessage());
        }

        @Test
        void fullAfterIsPositive() {
            assertThrows(IllegalArgumentException.class, () -> fullAfter(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> fullAfter(Duration.ofDays(-1)));
        }

        @Test
        void anIncrementalDecisionNeedsAParent() {
            assertThrows(IllegalArgumentException.class,
                    () -> new ChainDecision(BackupKind.INCREMENTAL, Optional.empty(), new ChainReason.Plain(ChainReason.Cause.FORCED)));
            assertThrows(IllegalArgumentException.class,
                    () -> new ChainDecision(BackupKind.FULL, Optional.of(id("x")), new ChainReason.Plain(ChainReason.Cause.FORCED)));
        }

        @ParameterizedTest(name = "{0} reads {1}")
        @CsvSource({
            "PT0S, 0s", "PT0.9S, 0s", "PT45S, 45s", "PT90S, 1m 30s", "PT1H, 1h", "PT5H30M20S, 5h 30m",
            "P1D, 1d", "PT36H, 1d 12h", "PT191H59M, 7d 23h", "P400DT1M, 400d", "PT-5M, 0s",
        })
        void elapsedTimeReadsInItsTwoLargestUnitsRoundedDown(Duration span, String text) {
            assertEquals(text, ChainPolicy.elapsed(span));
        }
    }

    /**
     * Months of operation, one decision and one prune after each backup, as the host will run them: the
     * chains roll over as the rules say, and retention never leaves a dependent backup without its parent.
     */
    @Nested
    class Operation {

        private record Run(List<BackupEntry> history, List<ChainDecision> decisions) {
        }

        private Run operate(int backups, Duration interval, ChainRules chainRules, RetentionRules retention,
                Capabilities capabilities, long jitterSeed) {
            Random jitter = new Random(jitterSeed);
            List<BackupEntry> history = new ArrayList<>();
            List<ChainDecision> decisions = new ArrayList<>();
            for (int i = 0; i < backups; i++) {
                Instant now = START.plus(interval.multipliedBy(i)).plusMillis(jitter.nextInt(2000));
                ChainDecision decision = ChainPolicy.decide(VOLUME, history, now, chainRules, capabilities, false);
                decisions.add(decision);
                BackupId backupId = id(String.format("b%05d", i));
                history.add(decision.isFull()
                        ? BackupEntry.full(backupId, now, BackupStatus.AVAILABLE)
                        : BackupEntry.incremental(backupId, decision.parent().orElseThrow(), now, BackupStatus.AVAILABLE));
                RetentionPlan plan = RetentionPolicy.evaluate(history, retention, BERLIN, capabilities.restorePoints());
                Map<BackupId, Boolean> removed = new HashMap<>();
                plan.removed().forEach(removal -> removed.put(removal.backup().id(), true));
                history.replaceAll(entry -> removed.containsKey(entry.id()) ? entry.withStatus(BackupStatus.DELETED) : entry);
            }
            return new Run(history, decisions);
        }

        @Test
        void fullEverySevenGivesAFullEverySeventhBackup() {
            Run run = operate(60, DAY, fullEvery(7), RetentionRules.KEEP_EVERYTHING.withKeepLast(3), INDEPENDENT, 1);
            for (int i = 0; i < 60; i++) {
                assertEquals(i % 7 == 0 ? BackupKind.FULL : BackupKind.INCREMENTAL, run.decisions().get(i).kind(), "backup " + i);
            }
            assertEquals("incremental: chain of 6 < full_every 7", run.decisions().get(6).toString());
            assertEquals("full: chain of 7 reached full_every 7", run.decisions().get(7).toString());
            // keep-last 3 on an independent backend deleted even the fulls of live chains; the count held anyway.
            assertEquals(3, run.history().stream().filter(BackupEntry::isAvailable).count());
        }

        @Test
        void fullAfterAWeekWithDailyBackupsThatJitter() {
            // Backups fire up to two seconds late: the full on day 0 is at least 7d old on day 7 only when day 7's
            // firing is no earlier in its second than day 0's; else the full comes on day 8. Either way, the
            // interval between fulls is 7 or 8 days and never shorter.
            Run run = operate(90, DAY, fullAfter(Duration.ofDays(7)), RetentionRules.KEEP_EVERYTHING.withKeepDaily(10),
                    INDEPENDENT, 2);
            List<Integer> fulls = new ArrayList<>();
            for (int i = 0; i < run.decisions().size(); i++) {
                if (run.decisions().get(i).isFull()) {
                    fulls.add(i);
                }
            }
            assertEquals(0, fulls.get(0));
            for (int i = 1; i < fulls.size(); i++) {
                int gap = fulls.get(i) - fulls.get(i - 1);
                assertTrue(gap == 7 || gap == 8, "gap " + gap + " before backup " + fulls.get(i));
            }
            assertTrue(fulls.size() >= 11, "fulls at " + fulls);
        }

        @Test
        void aDependentBackendKeepsEveryChainItNeedsForMonths() {
            // Every 6 hours for 4 months; a full every 12 backups (3 days); keep 2 days, 3 weeks, 2 months.
            RetentionRules retention = RetentionRules.KEEP_EVERYTHING.withKeepLast(2).withKeepDaily(2).withKeepWeekly(3)
                    .withKeepMonthly(2);
            Run run = operate(480, Duration.ofHours(6), fullEvery(12), retention, DEPENDS, 3);
            Map<BackupId, BackupEntry> byId = new HashMap<>();
            run.history().forEach(entry -> byId.put(entry.id(), entry));
            List<BackupEntry> kept = run.history().stream().filter(BackupEntry::isAvailable).toList();
            for (BackupEntry entry : kept) {
                BackupEntry current = entry;
                int length = 1;
                while (current.parent().isPresent()) {
                    current = byId.get(current.parent().get());
                    assertTrue(current.isAvailable(), entry.id() + " lost its ancestor " + current.id());
                    length++;
                }
                assertTrue(length <= 12, entry.id() + " is in a chain longer than full_every");
            }
            // Retention pruned the rest: at least the rules' own 9 backups remain, at most their 9 chains.
            assertTrue(kept.size() >= 9 && kept.size() <= 9 * 12, kept.size() + " backups kept");
            assertEquals(id("b00479"), kept.stream().min(BackupEntry.NEWEST_FIRST).orElseThrow().id());
        }
    }
}
