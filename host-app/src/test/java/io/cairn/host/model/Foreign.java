package io.cairn.host.model;

import java.util.List;

/**
 * Objects the model puts on the cluster as someone else would - the reference driver, another Cairn
 * catalog, an operator - named like Cairn's own. Cairn must leave every one of them as it is.
 */
final class Foreign {

    private Foreign() {
    }

    /** A snapshot on a source volume named like a backup snapshot ({@code backup.<id>.snap.<time>}). */
    record Snapshot(String volume, String name, String id) {
        @Override
        public String toString() {
            return volume + "@" + name + " (snap id " + id + ")";
        }
    }

    /**
     * An image in a backup pool named like a base image ({@code <image>.backup.base}, the reference
     * driver's, or {@code <image>.backup.<id>}), with backup-like snapshots of its own.
     */
    record Image(String pool, String name, String id, List<String> snapshots) {
        String spec() {
            return pool + "/" + name;
        }
    }

    /** A RADOS object in a backup pool named like a metadata object ({@code backup.<id>.meta}). */
    record RadosObject(String pool, String name) {
    }
}
