package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import io.cairn.api.option.DurationText;
import io.cairn.host.catalog.BackupStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why the next backup of a volume is full or incremental: a {@link Cause} and the facts behind it (which
 * backups, how long the chain, how old). The texts in the log, in the catalog's {@code plan_reason} and
 * in {@code --json} are all made from it, here; nobody reads a reason back out of a text.
 */
public sealed interface ChainReason {

    /** What decided, one value per rule of {@link ChainPolicy}. */
    enum Cause {
        /** An operator asked for a full backup ({@code --full}). */
        FORCED,
        /** The backend takes full backups only. */
        FULL_ONLY_BACKEND,
        /** The source is a file or block device, always backed up in full. */
        FILE_SOURCE,
        /** No backup of the volume is available to diff from. */
        NO_AVAILABLE_BACKUP,
        /** The current chain cannot be followed to its full backup, or is broken for a backend that needs it whole. */
        CHAIN_BROKEN,
        /** The chain rules ({@code full_every}, {@code full_after}) decided, either way. */
        CHAIN_RULES,
        /**
         * Found by the backend when the incremental backup started: the parent cannot be diffed from (its
         * restore point or source snapshot is gone, or another snapshot took its snapshot's name): a new
         * chain instead.
         */
        RESTORE_POINT_GONE,
        /**
         * The host removed the source snapshot of the newest available backup (a newer backup was stored,
         * then deleted), so there is nothing to diff from: a new chain.
         */
        PARENT_SNAPSHOT_REMOVED,
        /** The newest stored backup failed verification: it is never a parent, so a new chain starts. */
        PARENT_CORRUPT,
        /** An operator chose the parent ({@code cairn backup ... --parent ID}). */
        CHOSEN_PARENT
    }

    Cause cause();

    /** The reason on its own, without the verdict: {@code chain of 3 < full_every 7}. */
    String why();

    /**
     * A reason that needs no facts: {@link Cause#FORCED}, {@link Cause#FULL_ONLY_BACKEND},
     * {@link Cause#FILE_SOURCE} or {@link Cause#NO_AVAILABLE_BACKUP} (backups in progress, failed or being
     * deleted are never parents).
     */
    record Plain(Cause cause) implements ChainReason {

        public Plain {
            Objects.requireNonNull(cause, "cause is null");
            if (cause == Cause.CHAIN_BROKEN || cause == Cause.CHAIN_RULES || cause == Cause.RESTORE_POINT_GONE
                    || cause == Cause.PARENT_SNAPSHOT_REMOVED || cause == Cause.PARENT_CORRUPT || cause == Cause.CHOSEN_PARENT) {
                throw new IllegalArgumentException(cause + " needs its facts");
            }
        }

        @Override
        public String why() {
            return switch (cause) {
                case FORCED -> "forced";
                case FULL_ONLY_BACKEND -> "the backend does not support incremental backups";
                case FILE_SOURCE -> "files and block devices are always backed up in full";
                default -> "no available backup";
            };
        }
    }

    /**
     * The chain of {@code newest} cannot be used: a parent is missing from the history, the parents loop,
     * or an ancestor is not available on a backend whose backups depend on their parent.
     *
     * @param newest   the newest available backup, whose chain was followed
     * @param at       the backup where the chain breaks: whose parent is missing, where it loops, or the
     *                 unavailable ancestor
     * @param missing  for a missing parent, the parent's id; else empty
     * @param status   for an unavailable ancestor, its status; else null
     */
    record ChainBroken(BackupId newest, BackupId at, Optional<BackupId> missing, BackupStatus status)
            implements ChainReason {

        public ChainBroken {
            Objects.requireNonNull(newest, "newest is null");
            Objects.requireNonNull(at, "at is null");
            Objects.requireNonNull(missing, "missing is null");
        }

        @Override
        public Cause cause() {
            return Cause.CHAIN_BROKEN;
        }

        @Override
        public String why() {
            if (missing.isPresent()) {
                return "the chain of " + newest + " cannot be followed: " + missing.get() + ", the parent of " + at
                        + ", is not in the history";
            }
            if (status != null) {
                return "the chain of " + newest + " is broken: its ancestor " + at + " is " + status.label();
            }
            return "the chain of " + newest + " loops at " + at;
        }
    }

    /**
     * The current chain measured against the rules.
     *
     * @param newest the newest available backup: the parent, if the rules allow an incremental one
     * @param chain  the full backup that starts the chain (the chain's id)
     * @param length backups in the chain, the full one and {@code newest} included, deleted ones too
     * @param age    time since the full backup was taken
     * @param rules  the schedule's rules
     */
    record RulesApplied(BackupId newest, BackupId chain, int length, Duration age, ChainRules rules)
            implements ChainReason {

        public RulesApplied {
            Objects.requireNonNull(newest, "newest is null");
            Objects.requireNonNull(chain, "chain is null");
            Objects.requireNonNull(age, "age is null");
            Objects.requireNonNull(rules, "rules is null");
        }

        @Override
        public Cause cause() {
            return Cause.CHAIN_RULES;
        }

        /** Whether a rule asks for a new chain: {@code full_every} reached, or {@code full_after} passed. */
        public boolean fullDue() {
            return fullEveryReached() || fullAfterPassed();
        }

        private boolean fullEveryReached() {
            return rules.fullEvery().isPresent() && length >= rules.fullEvery().getAsInt();
        }

        private boolean fullAfterPassed() {
            return rules.fullAfter().isPresent() && age.compareTo(rules.fullAfter().get()) >= 0;
        }

        /**
         * When a rule asks for a full, the rules that do ({@code chain of 7 reached full_every 7; chain
         * started 8d ago, full_after 7d}); else why each allows an incremental ({@code chain of 3 <
         * full_every 7, chain started 3d ago < full_after 7d}).
         */
        @Override
        public String why() {
            List<String> fullBecause = new ArrayList<>();
            List<String> incrementalBecause = new ArrayList<>();
            if (rules.fullEvery().isPresent()) {
                int fullEvery = rules.fullEvery().getAsInt();
                (fullEveryReached() ? fullBecause : incrementalBecause).add("chain of " + length
                        + (fullEveryReached() ? " reached full_every " : " < full_every ") + fullEvery);
            }
            if (rules.fullAfter().isPresent()) {
                String limit = "full_after " + DurationText.format(rules.fullAfter().get());
                String started = "chain started " + ChainPolicy.elapsed(age) + " ago";
                if (fullAfterPassed()) {
                    fullBecause.add(started + ", " + limit);
                } else {
                    incrementalBecause.add(started + " < " + limit);
                }
            }
            if (!fullBecause.isEmpty()) {
                return String.join("; ", fullBecause);
            }
            if (incrementalBecause.isEmpty()) {
                return "chain of " + length + ", no full_every or full_after set";
            }
            return String.join(", ", incrementalBecause);
        }
    }

    /**
     * Found at transfer time: the backend cannot diff from the parent - its restore point or its source
     * snapshot is gone, or a snapshot of the same name with another identity stands in its place.
     *
     * @param parent  the planned parent
     * @param message the backend's account (a {@code ChainBrokenException}'s message), naming what
     */
    record RestorePointGone(BackupId parent, String message) implements ChainReason {

        public RestorePointGone {
            Objects.requireNonNull(parent, "parent is null");
            Objects.requireNonNull(message, "message is null");
        }

        @Override
        public Cause cause() {
            return Cause.RESTORE_POINT_GONE;
        }

        @Override
        public String why() {
            return "parent " + parent + " cannot be diffed from: " + message;
        }
    }

    /**
     * Found when planning: the host no longer holds the source snapshot of the newest available backup
     * (it removed it when a newer backup was stored, and that one was deleted since).
     *
     * @param parent   the newest available backup
     * @param snapshot its source snapshot's name
     */
    record ParentSnapshotRemoved(BackupId parent, String snapshot) implements ChainReason {

        public ParentSnapshotRemoved {
            Objects.requireNonNull(parent, "parent is null");
            Objects.requireNonNull(snapshot, "snapshot is null");
        }

        @Override
        public Cause cause() {
            return Cause.PARENT_SNAPSHOT_REMOVED;
        }

        @Override
        public String why() {
            return "the source snapshot " + snapshot + " of " + parent + ", the newest available backup, was removed"
                    + " when a newer backup (since deleted) was stored; there is nothing to diff from";
        }
    }

    /**
     * The newest stored backup of the volume is {@code corrupt}: a verify found damage in it. An
     * incremental from it would carry the damage on (for Ceph the next backup is written into the same
     * base image, whose unchanged parts are the damaged ones), so the next backup starts a new chain.
     *
     * @param newest the corrupt backup that would have been the parent
     */
    record ParentCorrupt(BackupId newest) implements ChainReason {

        public ParentCorrupt {
            Objects.requireNonNull(newest, "newest is null");
        }

        @Override
        public Cause cause() {
            return Cause.PARENT_CORRUPT;
        }

        @Override
        public String why() {
            return "the newest backup " + newest + " is corrupt (a verify found damage in it), so it is no parent";
        }
    }

    /**
     * An operator chose the parent of an incremental backup ({@code --parent ID}): an available backup of the
     * same volume, whatever the newest one is. The chain rules are not asked.
     *
     * @param parent the chosen backup
     * @param chain  the chain it belongs to, which the new backup joins
     */
    record ChosenParent(BackupId parent, BackupId chain) implements ChainReason {

        public ChosenParent {
            Objects.requireNonNull(parent, "parent is null");
            Objects.requireNonNull(chain, "chain is null");
        }

        @Override
        public Cause cause() {
            return Cause.CHOSEN_PARENT;
        }

        @Override
        public String why() {
            return "parent chosen with --parent";
        }
    }
}
