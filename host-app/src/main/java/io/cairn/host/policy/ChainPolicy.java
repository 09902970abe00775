package io.cairn.host.policy;

import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether the next backup of a volume is full or incremental: a pure function of the volume's
 * history, the current time, the schedule's {@link ChainRules} and the backend's {@link Capabilities}.
 *
 * <h2>The current chain</h2>
 * The parent of an incremental backup is always the newest available backup of the volume (in
 * {@link BackupEntry#NEWEST_FIRST} order); the current chain is the path from that backup up its
 * parents to the full backup that starts it. Its <em>length</em> counts every backup on that path, the
 * full one and the parent included - also those that retention has since deleted from an
 * {@link RestorePointDependency#INDEPENDENT independent} backend, because they were taken as part of the
 * chain. So the host should pass the volume's whole history, deleted records included. Its <em>age</em>
 * is the time since the full backup was taken.
 *
 * <h2>The decision, first match wins</h2>
 * <ol>
 *   <li>Forced (an operator's {@code --full}): full, {@code full: forced}.</li>
 *   <li>The backend cannot take incremental backups: full.</li>
 *   <li>The volume is a file or block device: full.</li>
 *   <li>No available backup: full, {@code full: no available backup}. Backups in progress, failed,
 *       being deleted or expiring are never parents.</li>
 *   <li>The newest stored backup is {@code corrupt} (a verify found damage): full, naming it. An
 *       incremental from it would carry the damage on; an older available backup is not used instead,
 *       because the chain's storage holds the damage.</li>
 *   <li>The chain cannot be followed to its full backup - a parent is not in the history, or the parents
 *       loop - or, for a backend whose backups {@link RestorePointDependency#DEPENDS_ON_PARENT depend on
 *       their parent}, an ancestor is not available: full. An incremental on such a chain could not be
 *       restored, or its chain could not be measured; a new full is the safe answer.</li>
 *   <li>{@code full_every: N} and the chain already holds N backups (the next one would be the
 *       N+1st): full, {@code full: chain of 7 reached full_every 7}.</li>
 *   <li>{@code full_after: D} and the chain's full backup is at least D old ({@code now - createdAt >= D}):
 *       full, {@code full: chain started 8d ago, full_after 7d}. A backup that fires a few seconds early
 *       against an identical schedule does not qualify yet; an operator who wants a weekly full from daily
 *       backups that may jitter can write {@code full_every: 7} or {@code full_after: 167h}.</li>
 *   <li>Otherwise incremental from the newest available backup, saying why the rules allow it:
 *       {@code incremental: chain of 3 < full_every 7}.</li>
 * </ol>
 * When both chain rules ask for a full, the reason names both. The decision's {@link ChainReason} holds
 * the rule and its facts; the texts quoted here are made from it.
 */
public final class ChainPolicy {

    private ChainPolicy() {
    }

    /**
     * Decides on the next backup of one volume.
     *
     * @param volume       the volume; a file or block device ({@code file:/PATH}) is always backed up in full
     * @param history      every backup of the volume, in any order, ids unique; include deleted ones so
     *                     that chains can be followed through backups retention has removed
     * @param now          the time of the decision
     * @param rules        the schedule's chain rules ({@link ChainRules#UNLIMITED} for a backup from the
     *                     command line)
     * @param capabilities what the backend can do: incremental backups at all, and whether its backups
     *                     depend on their parent
     * @param forceFull    an operator asked for a full backup
     * @throws IllegalArgumentException if two entries have the same id
     */
    public static ChainDecision decide(VolumeRef volume, List<BackupEntry> history, Instant now, ChainRules rules,
            Capabilities capabilities, boolean forceFull) {
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(history, "history is null");
        Objects.requireNonNull(now, "now is null");
        Objects.requireNonNull(rules, "rules is null");
        Objects.requireNonNull(capabilities, "capabilities is null");
        Map<BackupId, BackupEntry> byId = BackupEntry.byId(history);

        if (forceFull) {
            return ChainDecision.full(new ChainReason.Plain(ChainReason.Cause.FORCED));
        }
        if (!capabilities.incremental()) {
            return ChainDecision.full(new ChainReason.Plain(ChainReason.Cause.FULL_ONLY_BACKEND));
        }
        if (volume.isFile()) {
            return ChainDecision.full(new ChainReason.Plain(ChainReason.Cause.FILE_SOURCE));
        }
        Optional<BackupEntry> newestStored = history.stream()
                .filter(entry -> entry.status().isStored())
                .min(BackupEntry.NEWEST_FIRST);
        if (newestStored.isEmpty()) {
            return ChainDecision.full(new ChainReason.Plain(ChainReason.Cause.NO_AVAILABLE_BACKUP));
        }
        if (newestStored.get().status() == BackupStatus.CORRUPT) {
            return ChainDecision.full(new ChainReason.ParentCorrupt(newestStored.get().id()));
        }
        BackupEntry parent = newestStored.get();

        int length = 0;
        Set<BackupId> seen = new HashSet<>();
        BackupEntry current = parent;
        while (true) {
            if (!seen.add(current.id())) {
                return ChainDecision.full(new ChainReason.ChainBroken(parent.id(), current.id(), Optional.empty(), null));
            }
            length++;
            if (current.kind() == BackupKind.FULL) {
                break;
            }
            BackupId parentId = current.parent().orElseThrow();
            BackupEntry next = byId.get(parentId);
            if (next == null) {
                return ChainDecision.full(new ChainReason.ChainBroken(parent.id(), current.id(), Optional.of(parentId),
                        null));
            }
            if (capabilities.restorePoints() == RestorePointDependency.DEPENDS_ON_PARENT && !next.isAvailable()) {
                return ChainDecision.full(new ChainReason.ChainBroken(parent.id(), next.id(), Optional.empty(),
                        next.status()));
            }
            current = next;
        }
        ChainReason.RulesApplied measured = new ChainReason.RulesApplied(parent.id(), current.id(), length,
                Duration.between(current.createdAt(), now), rules);
        return measured.fullDue() ? ChainDecision.full(measured) : ChainDecision.incremental(parent.id(), measured);
    }

    /**
     * A time span in its two largest units, rounded down so that it never reads as more than it is:
     * {@code 8d 3h}, {@code 7d}, {@code 5h 30m}, {@code 45s}. A negative span (a full backup stamped after
     * {@code now}, from a skewed clock) reads {@code 0s}.
     */
    static String elapsed(Duration span) {
        long seconds = Math.max(0, span.getSeconds());
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            long whole = seconds / sizes[i];
            if (whole > 0 || i == sizes.length - 1) {
                String text = whole + units[i];
                if (i + 1 < sizes.length) {
                    long next = seconds % sizes[i] / sizes[i + 1];
                    if (next > 0) {
                        text += " " + next + units[i + 1];
                    }
                }
                return text;
            }
        }
        throw new AssertionError("unreachable");
    }
}
