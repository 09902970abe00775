package io.cairn.host.catalog;

import java.util.Locale;

/**
 * Whether Cairn still holds something it recorded creating: a source snapshot, or a storage object; or, for
 * a source snapshot, that it was never Cairn's.
 */
public enum HoldState {
    /** It is Cairn's, in place as far as the catalog knows, and will be removed once it has no use. */
    HELD,
    /** Removed (or found gone, or handed on to the backups of its chain that still need it). */
    REMOVED,
    /**
     * Not Cairn's: an existing snapshot a backup was made from ({@code cairn backup CLUSTER VOLUME@SNAP}). It
     * is recorded so that an incremental can diff from it while it is there, and is never removed by Cairn.
     */
    EXTERNAL;

    /** Lowercase, as stored, shown and printed in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HoldState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
