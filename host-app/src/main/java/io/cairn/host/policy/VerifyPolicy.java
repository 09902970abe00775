package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stored backups of a volume are due for a full verify: a pure function of the volume's history,
 * when each backup was last verified in full, the current time and the schedule's {@link VerifyRules}.
 *
 * <p>With {@code full_every: D}, every backup that is stored - {@code available} or {@code corrupt}
 * (a full verify is what can clear a corrupt one) - and has not been verified in full for at least D
 * (or never was) is due; those never verified first, then the longest ago, then the oldest backups,
 * so that a volume catches up oldest-first when many are due at once.
 */
public final class VerifyPolicy {

    private VerifyPolicy() {
    }

    /**
     * @param history      every backup of the volume
     * @param lastComplete when each backup was last verified in full; absent for never
     * @return the backups to verify in full now, in the order to verify them
     */
    public static List<BackupId> fullVerifiesDue(List<BackupEntry> history, Map<BackupId, Instant> lastComplete,
            Instant now, VerifyRules rules) {
        Objects.requireNonNull(history, "history is null");
        Objects.requireNonNull(lastComplete, "lastComplete is null");
        Objects.requireNonNull(now, "now is null");
        if (rules.fullEvery().isEmpty()) {
            return List.of();
        }
        Instant dueBefore = now.minus(rules.fullEvery().get());
        List<BackupEntry> due = new ArrayList<>();
        for (BackupEntry entry : history) {
            if (!entry.status().isStored()) {
                continue;
            }
            Optional<Instant> last = Optional.ofNullable(lastComplete.get(entry.id()));
            if (last.isEmpty() || !last.get().isAfter(dueBefore)) {
                due.add(entry);
            }
        }
        due.sort(Comparator.<BackupEntry, Instant>comparing(entry -> lastComplete.getOrDefault(entry.id(), Instant.MIN))
                .thenComparing(BackupEntry::createdAt).thenComparing(entry -> entry.id().value()));
        return due.stream().map(BackupEntry::id).toList();
    }
}
