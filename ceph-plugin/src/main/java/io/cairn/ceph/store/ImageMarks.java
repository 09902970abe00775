package io.cairn.ceph.store;

import java.util.Map;

/**
 * Image metadata keys by which Cairn marks RBD images, so that what an image is can be told from the
 * image itself, whatever its name.
 */
public final class ImageMarks {

    /**
     * On every base image Cairn creates: the id of the full backup that started its chain. An image
     * carrying it is backup storage: never a restore target, and never a volume to copy it onto.
     */
    public static final String BASE = "cairn.base";

    /**
     * On a restore target from before the first write until the restore finishes: the id of the backup
     * being restored. A target that still carries it after the restore ended holds a mix of old and
     * restored data; the next restore into it that finishes clears it.
     */
    public static final String RESTORE_INCOMPLETE = "cairn.restore.incomplete";

    private ImageMarks() {
    }

    /** Whether a key is one of Cairn's marks (they describe an image, never travel with its data). */
    public static boolean isMark(String key) {
        return key.equals(BASE) || key.equals(RESTORE_INCOMPLETE);
    }

    /**
     * Whether image {@code name} with metadata {@code metadata} is a base image Cairn created: it
     * carries the base mark, and the mark names the chain its name ends with
     * ({@code <volume>.backup.<chain>}).
     */
    public static boolean isCairnBase(String name, Map<String, String> metadata) {
        String chain = metadata.get(BASE);
        return chain != null && !chain.isEmpty() && name.endsWith(".backup." + chain);
    }
}
