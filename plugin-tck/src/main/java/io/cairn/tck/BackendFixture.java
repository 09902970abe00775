package io.cairn.tck;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the contract test kit needs from a backend's author: the backend, options that open a working
 * session, and hands on its volumes and its storage <em>behind the backend's back</em>. The kit checks
 * the backend through its API and checks the results through this fixture, never through the backend
 * itself, so a backend cannot confirm its own mistakes.
 *
 * <p>Implement it with the tools an operator would use (for Ceph: the {@code rbd} CLI and a second
 * RADOS binding; for files: {@code java.nio}). Volumes the kit asks for are small (a few MiB) and
 * named {@code tck-...}; the kit removes those it created, and the fixture is closed after the last
 * case.
 */
public interface BackendFixture extends AutoCloseable {

    /** The backend under test, as the host would create it (its public no-argument constructor). */
    BackendDescriptor descriptor();

    /**
     * The options of a cluster file ({@code options:}) that open a working session. Set every secret
     * option the backend can take, to a working value: the kit checks that none is ever shown.
     */
    Map<String, Object> options();

    /**
     * Creates an empty volume (it reads as zeros) of {@code sizeBytes}, named after {@code name}.
     *
     * @param name a unique name, lowercase letters, digits and {@code -}, starting with {@code tck-}
     * @return the volume as the backend names it ({@code volumes/tck-a}, {@code tck-a.img})
     */
    VolumeRef createVolume(String name, long sizeBytes);

    /** The name a volume made by {@link #createVolume} from {@code name} would have, without creating it. */
    VolumeRef volumeName(String name);

    /** Writes {@code data} at {@code offset} into a volume, directly, not through the backend. */
    void write(VolumeRef volume, long offset, byte[] data);

    /** The whole content of a volume, read directly, not through the backend. */
    byte[] read(VolumeRef volume);

    /** Removes a volume, if it exists, with any snapshots it has. */
    void removeVolume(VolumeRef volume);

    /** Whether a snapshot of this name exists on the volume, whatever its identity. */
    boolean snapshotExists(VolumeRef volume, String snapshotName);

    /** Removes a snapshot behind the backend's back (an operator did it by hand). */
    void removeSnapshot(VolumeSnapshot snapshot);

    /**
     * Removes a snapshot behind the backend's back and takes another of the same name, of the volume
     * as it is now: the name is the same, the identity is not. A backend must neither diff from the
     * impostor nor remove it.
     */
    void replaceSnapshotWithImpostor(VolumeSnapshot snapshot);

    /**
     * Destroys the stored data of one backup behind the backend's back (for Ceph: the snapshot on the
     * base image), so that its restore point is gone; nothing else is touched.
     */
    void destroyRestorePoint(BackupRef backup);

    /**
     * Damages the stored data of one backup behind the backend's back, the way a failing disk or a
     * careless operator would: after it, restoring {@code backup} no longer gives the bytes that were
     * backed up at {@code offset} (for Ceph: random bytes written over the RADOS object of its base
     * image that holds that offset; for a block store: the block file holding it). Nothing else of the
     * backup is touched. Needed by {@link VerifyContract}; the default cannot.
     *
     * @param offset a byte of the volume that held data when the backup was made
     * @since plugin API 1.1 (contract test kit)
     */
    default void damageStoredData(BackupRef backup, long offset) {
        throw new UnsupportedOperationException("the fixture cannot damage stored data: implement"
                + " BackendFixture.damageStoredData to run VerifyContract");
    }

    /**
     * Volume names that point into the backend's own backup storage holding {@code backup} (for Ceph
     * its base image): a restore into any of them must be refused, whatever the caller asks. At least
     * one.
     */
    List<VolumeRef> backupStorageTargets(BackupRef backup);

    /**
     * The name of every object in backup storage, as the backend names it in
     * {@link io.cairn.api.model.StoredResource#name()} when it journals it ({@code backups/vol.backup.x},
     * {@code backups/vol.backup.x@snap}, {@code backups/backup.x.meta}). The kit compares the set before
     * and after each operation: whatever a transfer creates must have been journaled first, and a
     * delete must leave the set as it was. Content that is shared between backups by design and that
     * the backend does not journal (the chunks of a content-addressed store) may be left out.
     */
    Set<String> storageObjects();

    /** Releases what the fixture holds (connections, temporary directories). */
    @Override
    void close();
}
