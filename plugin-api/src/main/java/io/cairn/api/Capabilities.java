package io.cairn.api;

/**
 * What a backend can do; the host plans backups and retention from it.
 *
 * @param incremental          the backend can transfer only what changed since a parent backup
 * @param restorePoints        whether each stored backup can be restored and deleted on its own,
 *                             or needs its parent to stay
 * @param differentialRestore  the backend restores into a new or empty volume by copying only the
 *                             allocated data, not every byte
 * @param fileSources          the backend can back up a file or block device ({@code file:/path})
 */
public record Capabilities(
        boolean incremental,
        RestorePointDependency restorePoints,
        boolean differentialRestore,
        boolean fileSources) {

    public Capabilities {
        if (restorePoints == null) {
            throw new NullPointerException("restorePoints is null");
        }
    }

    /** How stored backups of one chain depend on each other. */
    public enum RestorePointDependency {
        /** Every backup is a complete restore point; deleting one never damages another. */
        INDEPENDENT,
        /** A backup needs its parent (and so every ancestor) to be restored; retention keeps them. */
        DEPENDS_ON_PARENT
    }
}
