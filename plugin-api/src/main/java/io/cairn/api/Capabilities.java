package io.cairn.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a backend can do, as plugin API 1.0 declared it: one positional field per capability. Since
 * plugin API 1.1 a backend declares a {@link BackendCapability} set instead
 * ({@link BackendDescriptor#capabilitySet()}), which grows without breaking anyone's constructor
 * call; this record stays as the 1.0 form and as a view of the set ({@link #of}, {@link #toSet}).
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

    /**
     * The same capabilities as a 1.1 set: {@code restorePoints} {@code INDEPENDENT} is
     * {@link BackendCapability#INDEPENDENT_RESTORE_POINTS}.
     *
     * @since plugin API 1.1
     */
    public Set<BackendCapability> toSet() {
        Set<BackendCapability> set = EnumSet.noneOf(BackendCapability.class);
        if (incremental) {
            set.add(BackendCapability.INCREMENTAL);
        }
        if (restorePoints == RestorePointDependency.INDEPENDENT) {
            set.add(BackendCapability.INDEPENDENT_RESTORE_POINTS);
        }
        if (differentialRestore) {
            set.add(BackendCapability.DIFFERENTIAL_RESTORE);
        }
        if (fileSources) {
            set.add(BackendCapability.FILE_SOURCES);
        }
        return Set.copyOf(set);
    }

    /**
     * The 1.0 view of a capability set.
     *
     * @since plugin API 1.1
     */
    public static Capabilities of(Set<BackendCapability> capabilities) {
        return new Capabilities(
                capabilities.contains(BackendCapability.INCREMENTAL),
                capabilities.contains(BackendCapability.INDEPENDENT_RESTORE_POINTS)
                        ? RestorePointDependency.INDEPENDENT : RestorePointDependency.DEPENDS_ON_PARENT,
                capabilities.contains(BackendCapability.DIFFERENTIAL_RESTORE),
                capabilities.contains(BackendCapability.FILE_SOURCES));
    }

    /** How stored backups of one chain depend on each other. */
    public enum RestorePointDependency {
        /** Every backup is a complete restore point; deleting one never damages another. */
        INDEPENDENT,
        /** A backup needs its parent (and so every ancestor) to be restored; retention keeps them. */
        DEPENDS_ON_PARENT
    }
}
