package io.cairn.host.testbackend;

import io.cairn.api.BackendSession;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.VolumeListing;
import java.util.Optional;

/** A session of the directory backend: one object per verb over one {@link DirectoryLayout}. */
final class DirectorySession implements BackendSession {

    private final String clusterName;
    private final DirectoryLayout layout;

    DirectorySession(String clusterName, DirectoryLayout layout) {
        this.clusterName = clusterName;
        this.layout = layout;
    }

    @Override
    public SnapshotOperation snapshots() {
        return new DirectorySnapshots(layout);
    }

    @Override
    public TransferOperation transfers() {
        return new DirectoryTransfers(layout);
    }

    @Override
    public RestoreOperation restores() {
        return new DirectoryRestores(layout);
    }

    @Override
    public DeleteOperation deletions() {
        return new DirectoryDeletions(layout);
    }

    @Override
    public Optional<VolumeListing> volumeListing() {
        return Optional.of(new DirectoryVolumes(layout));
    }

    @Override
    public Optional<io.cairn.api.operation.VerifyOperation> verification() {
        return Optional.of(new DirectoryVerify(layout));
    }

    @Override
    public Optional<io.cairn.api.operation.InventoryOperation> inventory() {
        return Optional.of(new DirectoryInventory(layout));
    }

    @Override
    public String describe() {
        return "directory cluster " + clusterName + ": volumes in " + layout.volumesDir() + ", backups in " + layout.backupDir();
    }

    @Override
    public void close() {
    }
}
