package io.cairn.host.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What should exist: the source volumes' bytes, every backup Cairn made with the checksum its restores
 * must have and the status it should have, which backup's source snapshot the host should hold for each
 * cluster file and volume, the objects others put on the cluster (which must survive everything), and the
 * restore targets the model keeps around to restore over.
 */
final class Model {

    private final Map<String, VolumeContent> volumes = new LinkedHashMap<>();
    private final Map<String, ModelBackup> backups = new LinkedHashMap<>();
    /** cluster|volume -> the backup whose source snapshot the host holds (the newest one it stored). */
    private final Map<String, String> held = new HashMap<>();
    /**
     * cluster|volume pairs where a crash may have left more than one snapshot held (each by an available
     * backup): the host removes the older ones at the next backup.
     */
    private final Set<String> heldLoosely = new HashSet<>();
    private final List<Foreign.Snapshot> foreignSnapshots = new ArrayList<>();
    private final List<Foreign.Image> foreignImages = new ArrayList<>();
    private final List<Foreign.RadosObject> foreignObjects = new ArrayList<>();
    private final Map<String, Target> targets = new LinkedHashMap<>();
    /** Backups whose held source snapshot someone else removed (or replaced by a same-named impostor). */
    private final Set<String> snapshotTakenAway = new HashSet<>();

    void addVolume(String volume, VolumeContent content) {
        volumes.put(volume, content);
    }

    List<String> volumes() {
        return List.copyOf(volumes.keySet());
    }

    VolumeContent content(String volume) {
        return volumes.get(volume);
    }

    void replaceContent(String volume, VolumeContent content) {
        volumes.put(volume, content);
    }

    void add(ModelBackup backup) {
        backups.put(backup.id(), backup);
    }

    Optional<ModelBackup> backup(String id) {
        return Optional.ofNullable(backups.get(id));
    }

    boolean knows(String id) {
        return backups.containsKey(id);
    }

    List<ModelBackup> backups() {
        return List.copyOf(backups.values());
    }

    List<ModelBackup> available() {
        return backups.values().stream().filter(ModelBackup::available).toList();
    }

    /** The backups of one cluster file and volume, oldest first. */
    List<ModelBackup> of(String cluster, String volume) {
        return backups.values().stream().filter(b -> b.cluster().equals(cluster) && b.volume().equals(volume)).toList();
    }

    Optional<ModelBackup> newestAvailable(String cluster, String volume) {
        List<ModelBackup> list = of(cluster, volume).stream().filter(ModelBackup::available).toList();
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** The backup whose snapshot the host holds on the volume for this cluster file, if any. */
    Optional<ModelBackup> held(String cluster, String volume) {
        return Optional.ofNullable(held.get(key(cluster, volume))).map(backups::get);
    }

    /** A backup was stored: its snapshot is held, and (after a clean finish) only it. */
    void holds(ModelBackup backup, boolean exactly) {
        held.put(key(backup.cluster(), backup.volume()), backup.id());
        if (exactly) {
            heldLoosely.remove(key(backup.cluster(), backup.volume()));
        } else {
            heldLoosely.add(key(backup.cluster(), backup.volume()));
        }
    }

    /** The held snapshot went (its backup was deleted, or someone else removed it). */
    void releases(ModelBackup backup) {
        held.remove(key(backup.cluster(), backup.volume()), backup.id());
    }

    /** Whether backups other than {@link #held} may still hold a snapshot on the volume after a crash. */
    boolean heldLoosely(String cluster, String volume) {
        return heldLoosely.contains(key(cluster, volume));
    }

    /** Someone else removed the held snapshot of {@code backup} from the source. */
    void takenAway(ModelBackup backup) {
        snapshotTakenAway.add(backup.id());
        releases(backup);
    }

    /**
     * Whether the catalog may still record {@code backup}'s snapshot as held although it is gone: someone
     * else removed it, and no Cairn operation has since looked (the next backup of the volume on its
     * cluster file, or the backup's delete).
     */
    boolean takenAway(String backupId) {
        return snapshotTakenAway.contains(backupId);
    }

    /** A Cairn operation has tried to remove these backups' snapshots and found them gone. */
    void noticedGone(List<ModelBackup> backups) {
        backups.forEach(b -> snapshotTakenAway.remove(b.id()));
    }

    void deleted(ModelBackup backup) {
        backup.status(ModelBackup.Status.DELETED);
        releases(backup);
    }

    List<Foreign.Snapshot> foreignSnapshots() {
        return foreignSnapshots;
    }

    List<Foreign.Image> foreignImages() {
        return foreignImages;
    }

    List<Foreign.RadosObject> foreignObjects() {
        return foreignObjects;
    }

    /** Restore targets kept (to restore over later), with what they hold. */
    Map<String, Target> targets() {
        return targets;
    }

    /** What a restore target holds: its checksum and size, and whether every byte is zero. */
    record Target(String sha256, long size) {
        boolean allZeros() {
            return sha256.equals(VolumeContent.Digest.ofZeros(size));
        }
    }

    private static String key(String cluster, String volume) {
        return cluster + "|" + volume;
    }
}
