package io.cairn.api.operation;

/**
 * Where a backend records the name of a source snapshot - or, since 1.3, of a backup set's group snapshot -
 * before it takes it: the host's write-ahead record of the snapshot, as {@link ResourceJournal} is for a
 * transfer's storage.
 *
 * <p>A backend calls {@link #intended} with the exact name the snapshot will have, just before it takes
 * it. The host has stored the name in its catalog when the call returns, so a process killed while the
 * snapshot is taken - before the host learns it exists - leaves a record naming it, and the clean-up of
 * the interrupted backup (or set) removes a snapshot of that name if there is one (and finds nothing to do if
 * there is not).
 *
 * @since 1.2
 */
@FunctionalInterface
public interface SnapshotJournal {

    /** Records nothing: for callers that keep no catalog (tests, tools). */
    SnapshotJournal NONE = name -> { };

    /**
     * Records that a snapshot of exactly this name is about to be taken; returns once it is stored.
     *
     * @throws RuntimeException when the host cannot store it; the backend must then not take the snapshot,
     *         and fails with this exception
     */
    void intended(String name);
}
