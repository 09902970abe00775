package io.cairn.api.operation;

/** Whether a backup holds all of a volume or only what changed since its parent. */
public enum BackupKind {
    FULL,
    INCREMENTAL;

    /** Lowercase, as shown to operators and in JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
