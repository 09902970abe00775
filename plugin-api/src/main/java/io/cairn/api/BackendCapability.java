package io.cairn.api;

/**
 * One thing a backend can do, declared in {@link BackendDescriptor#capabilitySet()}. The host plans
 * backups, retention and restores from the set; a capability that is absent means the backend cannot.
 * New capabilities are added as new constants, so a backend's declaration never has to change for a
 * capability it does not have.
 *
 * @since plugin API 1.1
 */
public enum BackendCapability {

    /**
     * The backend can transfer only what changed since a parent backup
     * ({@link io.cairn.api.operation.TransferRequest#parent()}). Without it the host makes every
     * backup full.
     */
    INCREMENTAL,

    /**
     * Every stored backup is a complete restore point: it can be restored and deleted on its own, and
     * deleting one never damages another. Without it, a backup needs its parent (and so every
     * ancestor) to be restored, and retention keeps the ancestors of every backup it keeps.
     */
    INDEPENDENT_RESTORE_POINTS,

    /**
     * The backend restores into a new or empty volume by copying only the allocated data, not every
     * byte.
     */
    DIFFERENTIAL_RESTORE,

    /**
     * The backend can back up a file or block device named {@code file:/path}, and restore into one.
     */
    FILE_SOURCES,

    /**
     * The backend snapshots several volumes at one instant - a named group of its own (for Ceph an RBD
     * group) or a list of volumes - through {@link BackendSession#groupSnapshots()}, so that a backup
     * set of them holds every member as it was at the same moment. Without it the host refuses group
     * schedules and group backups for the backend, with an error that says so.
     *
     * @since plugin API 1.1
     */
    CONSISTENT_GROUPS
}
