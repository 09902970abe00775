package io.cairn.blockstore.store;

import io.cairn.api.model.BackupId;
import java.nio.file.Path;

/**
 * Where a block store keeps what:
 * <pre>
 * store.properties            format version and chunk size, fixed by the first backup
 * store.lock                  shared by backups and restores, exclusive for removing unused chunks
 * chunks/ab/cd/abcd...        each distinct block once, named by its SHA-256
 * backups/&lt;id&gt;.manifest      one backup: its volume, size and the hash of each block, in order
 * tmp/&lt;id&gt;/                  a backup's work in progress, named by its id
 * </pre>
 * A backup owns its manifest and its staging directory (both named by its id, both journaled);
 * chunks are shared by every backup whose manifest names them, and removed once none does.
 *
 * @param root the store directory
 */
public record StoreLayout(Path root) {

    public static final String MANIFEST_KIND = "manifest";
    public static final String STAGING_KIND = "staging-dir";

    public Path formatFile() {
        return root.resolve("store.properties");
    }

    public Path lockFile() {
        return root.resolve("store.lock");
    }

    public Path chunks() {
        return root.resolve("chunks");
    }

    public Path chunk(String hash) {
        return chunks().resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    public Path manifests() {
        return root.resolve("backups");
    }

    public Path manifest(BackupId id) {
        return root.resolve(manifestName(id));
    }

    public Path staging(BackupId id) {
        return root.resolve(stagingName(id));
    }

    /** The manifest's name relative to the store, as journaled. */
    public static String manifestName(BackupId id) {
        return "backups/" + id.value() + ".manifest";
    }

    /** The staging directory's name relative to the store, as journaled. */
    public static String stagingName(BackupId id) {
        return "tmp/" + id.value();
    }
}
