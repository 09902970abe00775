package io.cairn.blockstore;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.tck.BackendFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A fixture that does what another does; subclasses change one thing. */
abstract class DelegatingFixture implements BackendFixture {

    private final BackendFixture delegate;

    DelegatingFixture(BackendFixture delegate) {
        this.delegate = delegate;
    }

    @Override
    public BackendDescriptor descriptor() {
        return delegate.descriptor();
    }

    @Override
    public Map<String, Object> options() {
        return delegate.options();
    }

    @Override
    public VolumeRef createVolume(String name, long sizeBytes) {
        return delegate.createVolume(name, sizeBytes);
    }

    @Override
    public VolumeRef volumeName(String name) {
        return delegate.volumeName(name);
    }

    @Override
    public void write(VolumeRef volume, long offset, byte[] data) {
        delegate.write(volume, offset, data);
    }

    @Override
    public byte[] read(VolumeRef volume) {
        return delegate.read(volume);
    }

    @Override
    public void removeVolume(VolumeRef volume) {
        delegate.removeVolume(volume);
    }

    @Override
    public boolean snapshotExists(VolumeRef volume, String snapshotName) {
        return delegate.snapshotExists(volume, snapshotName);
    }

    @Override
    public void removeSnapshot(VolumeSnapshot snapshot) {
        delegate.removeSnapshot(snapshot);
    }

    @Override
    public void replaceSnapshotWithImpostor(VolumeSnapshot snapshot) {
        delegate.replaceSnapshotWithImpostor(snapshot);
    }

    @Override
    public void destroyRestorePoint(BackupRef backup) {
        delegate.destroyRestorePoint(backup);
    }

    @Override
    public List<VolumeRef> backupStorageTargets(BackupRef backup) {
        return delegate.backupStorageTargets(backup);
    }

    @Override
    public void damageStoredData(BackupRef backup, long offset) {
        delegate.damageStoredData(backup, offset);
    }

    @Override
    public Set<String> storageObjects() {
        return delegate.storageObjects();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
