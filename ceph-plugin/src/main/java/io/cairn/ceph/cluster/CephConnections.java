package io.cairn.ceph.cluster;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.cluster.ClusterConnection.PoolNotFoundException;
import io.cairn.ceph.copy.IoShare;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.util.Optional;

/**
 * The two sides one session works with - the source cluster (volumes) and the backup cluster (base
 * images and metadata objects in the backup pool), which may be one connection - and opening pools and
 * images on them. A failure to open is reported through {@link CephErrors}.
 */
public final class CephConnections implements AutoCloseable {

    private final CephSettings settings;
    private final ClusterConnection backup;
    private final ClusterConnection source;
    private final CephErrors errors;
    private final IoShare ioShare;

    public CephConnections(CephSettings settings, ClusterConnection backup, ClusterConnection source,
                           CephErrors errors) {
        this.settings = settings;
        this.backup = backup;
        this.source = source;
        this.errors = errors;
        this.ioShare = new IoShare(settings.parallelIos());
    }

    public CephSettings settings() {
        return settings;
    }

    /** The IOs in flight this session's copies - backups and restores - share. */
    public IoShare ioShare() {
        return ioShare;
    }

    public ClusterConnection backup() {
        return backup;
    }

    public ClusterConnection source() {
        return source;
    }

    /** The backup pool. */
    public RadosPool backupPool() {
        try {
            return backup.pool(settings.pool());
        } catch (PoolNotFoundException e) {
            throw new BackendException("backup pool " + settings.pool() + " does not exist on "
                    + backup.settings().describe());
        }
    }

    /** A volume's pool and namespace on the source side. */
    public RadosPool sourcePool(RbdVolume volume) {
        try {
            return source.pool(volume.pool(), volume.namespace());
        } catch (PoolNotFoundException e) {
            throw new VolumeNotFoundException("volume " + volume + " not found: pool " + volume.pool()
                    + " does not exist on " + source.settings().describe());
        }
    }

    /**
     * Opens a source volume, or one of its snapshots.
     *
     * @throws VolumeNotFoundException when the pool, image or snapshot does not exist
     */
    public RbdImageHandle openSource(RbdVolume volume, String snapshot, boolean readOnly) {
        RadosPool pool = sourcePool(volume);
        String name = snapshot == null ? volume.spec() : volume.spec() + "@" + snapshot;
        try {
            return RbdImageHandle.open(pool, name, volume.image(), snapshot, readOnly);
        } catch (NativeCallException e) {
            if (e.isNotFound()) {
                throw new VolumeNotFoundException("volume " + name + " not found on " + source.settings().describe());
            }
            throw errors.translate(e, "open volume " + name);
        }
    }

    /** Opens a source volume if it exists. */
    public Optional<RbdImageHandle> openSourceIfExists(RbdVolume volume, boolean readOnly) {
        try {
            return Optional.of(openSource(volume, null, readOnly));
        } catch (VolumeNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Opens an image in the backup pool if it exists. */
    public Optional<RbdImageHandle> openBackupImage(String image, String snapshot, boolean readOnly) {
        RadosPool pool = backupPool();
        String name = settings.pool() + "/" + image + (snapshot == null ? "" : "@" + snapshot);
        try {
            return Optional.of(RbdImageHandle.open(pool, name, image, snapshot, readOnly));
        } catch (NativeCallException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw errors.translate(e, "open backup image " + name);
        }
    }

    @Override
    public void close() {
        if (source != backup) {
            source.close();
        }
        backup.close();
    }
}
