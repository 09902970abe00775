package io.cairn.host.model;

/**
 * One backup as the model knows it: where it came from, the checksum its restores must have (that of the
 * source snapshot, taken right after the backup), and the status it should have.
 */
final class ModelBackup {

    enum Status { AVAILABLE, ERROR, DELETED }

    private final String id;
    private final String cluster;
    private final String volume;
    private final String kind;
    private final String parent;
    private final String snapshot;
    private final String base;
    private final VolumeContent.Digest content;
    private Status status;

    ModelBackup(String id, String cluster, String volume, String kind, String parent, String snapshot, String base,
            VolumeContent.Digest content, Status status) {
        this.id = id;
        this.cluster = cluster;
        this.volume = volume;
        this.kind = kind;
        this.parent = parent;
        this.snapshot = snapshot;
        this.base = base;
        this.content = content;
        this.status = status;
    }

    String id() {
        return id;
    }

    String shortId() {
        return id.substring(0, 8);
    }

    String cluster() {
        return cluster;
    }

    String volume() {
        return volume;
    }

    String kind() {
        return kind;
    }

    /** The parent's id, or null for a full backup. */
    String parent() {
        return parent;
    }

    /** The source snapshot's name, or null when none was taken (an interrupted backup). */
    String snapshot() {
        return snapshot;
    }

    /** The base image it is stored in (in its cluster file's backup pool), or null when it never was stored. */
    String base() {
        return base;
    }

    /** What a restore must hold; null for a backup that never became available. */
    VolumeContent.Digest content() {
        return content;
    }

    long size() {
        return content.length();
    }

    Status status() {
        return status;
    }

    boolean available() {
        return status == Status.AVAILABLE;
    }

    void status(Status status) {
        this.status = status;
    }

    @Override
    public String toString() {
        return shortId() + " (" + kind + " of " + volume + " on " + cluster + ", " + status.name().toLowerCase() + ")";
    }
}
