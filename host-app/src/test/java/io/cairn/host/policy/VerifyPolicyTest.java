package io.cairn.host.policy;

import static io.cairn.host.policy.PolicyHistories.available;
import static io.cairn.host.policy.PolicyHistories.id;
import static io.cairn.host.policy.PolicyHistories.incremental;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifyPolicyTest {

    private static final Instant NOW = Instant.parse("2024-06-10T03:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final VerifyRules WEEKLY = new VerifyRules(0, false, Optional.of(Duration.ofDays(7)));

    @Test
    void storedBackupsNotVerifiedInFullForTheIntervalAreDueNeverVerifiedFirst() {
        List<BackupEntry> history = List.of(
                available("old-verified", NOW.minus(DAY.multipliedBy(20))),
                incremental("recent-verified", "old-verified", NOW.minus(DAY.multipliedBy(9))),
                incremental("never", "recent-verified", NOW.minus(DAY.multipliedBy(8))),
                incremental("damaged", "never", NOW.minus(DAY.multipliedBy(3))).withStatus(BackupStatus.CORRUPT),
                incremental("in-grace", "damaged", NOW.minus(DAY.multipliedBy(2))).withStatus(BackupStatus.EXPIRING),
                incremental("failed", "damaged", NOW.minus(DAY)).withStatus(BackupStatus.ERROR));
        Map<io.cairn.api.model.BackupId, Instant> verified = Map.of(
                id("old-verified"), NOW.minus(DAY.multipliedBy(10)),
                id("recent-verified"), NOW.minus(DAY.multipliedBy(2)));
        assertEquals(List.of(id("never"), id("damaged"), id("old-verified")),
                VerifyPolicy.fullVerifiesDue(history, verified, NOW, WEEKLY));
    }

    @Test
    void exactlyTheIntervalAgoIsDueAndWithoutARuleNothingIs() {
        List<BackupEntry> history = List.of(available("a", NOW.minus(DAY.multipliedBy(30))));
        assertEquals(List.of(id("a")), VerifyPolicy.fullVerifiesDue(history, Map.of(id("a"), NOW.minus(Duration.ofDays(7))),
                NOW, WEEKLY));
        assertEquals(List.of(), VerifyPolicy.fullVerifiesDue(history, Map.of(id("a"), NOW.minus(Duration.ofDays(6))),
                NOW, WEEKLY));
        assertEquals(List.of(), VerifyPolicy.fullVerifiesDue(history, Map.of(), NOW, VerifyRules.NONE));
    }

    @Test
    void rulesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new VerifyRules(101, false, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new VerifyRules(5, false, Optional.of(Duration.ZERO)));
        assertEquals("none", VerifyRules.NONE.describe());
    }
}
