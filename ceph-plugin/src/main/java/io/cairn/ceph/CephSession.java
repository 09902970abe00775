package io.cairn.ceph;

import io.cairn.api.BackendSession;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.operation.ClientFencing;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.GroupSnapshotOperation;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VolumeListing;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.ClusterConnection.PoolNotFoundException;
import io.cairn.ceph.cluster.ClusterConnection;
import io.cairn.ceph.ops.CephAccessCheck;
import io.cairn.ceph.ops.CephDelete;
import io.cairn.ceph.ops.CephFencing;
import io.cairn.ceph.ops.CephGroupSnapshots;
import io.cairn.ceph.ops.CephInventory;
import io.cairn.ceph.ops.CephRestore;
import io.cairn.ceph.ops.CephSnapshots;
import io.cairn.ceph.ops.CephTransfer;
import io.cairn.ceph.ops.CephVerify;
import io.cairn.ceph.ops.CephVolumeListing;
import io.cairn.ceph.rbd.NativeCallException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One configured Ceph cluster: a connection to the backup side and, when it differs, one to the
 * source side, and the verbs working through them (and verify and inventory, which Ceph offers).
 */
public final class CephSession implements BackendSession {

    private final CephConnections connections;
    private final CephErrors errors;
    private final CephSnapshots snapshots;
    private final CephTransfer transfers;
    private final CephRestore restores;
    private final CephDelete deletions;
    private final CephVerify verification;
    private final CephGroupSnapshots groupSnapshots;
    private final CephFencing fencing;

    private CephSession(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
        this.snapshots = new CephSnapshots(connections, errors, Clock.systemUTC());
        this.transfers = new CephTransfer(connections, errors);
        this.restores = new CephRestore(connections, errors);
        this.deletions = new CephDelete(connections, errors);
        this.verification = new CephVerify(connections, errors);
        this.groupSnapshots = new CephGroupSnapshots(connections, errors, Clock.systemUTC());
        this.fencing = new CephFencing(connections);
    }

    /**
     * Connects both sides and checks that the backup pool exists.
     *
     * @throws InvalidConfigurationException when the backup pool does not exist
     */
    public static CephSession open(CephSettings settings) {
        ClusterConnection backup = ClusterConnection.connect(settings.backupSide());
        ClusterConnection source = backup;
        try {
            if (!settings.sameCluster()) {
                source = ClusterConnection.connect(settings.sourceSide());
            }
            backup.pool(settings.pool());
        } catch (PoolNotFoundException e) {
            closeBoth(backup, source);
            throw new InvalidConfigurationException(CephOptions.POOL, "pool " + settings.pool()
                    + " does not exist on " + settings.backupSide().describe());
        } catch (RuntimeException e) {
            closeBoth(backup, source);
            throw e;
        }
        CephErrors errors = new CephErrors(settings.backupSide().clusterName(), settings.backupSide().timeout());
        return new CephSession(new CephConnections(settings, backup, source, errors), errors);
    }

    private static void closeBoth(ClusterConnection backup, ClusterConnection source) {
        if (source != backup) {
            source.close();
        }
        backup.close();
    }

    @Override
    public SnapshotOperation snapshots() {
        return snapshots;
    }

    @Override
    public TransferOperation transfers() {
        return transfers;
    }

    @Override
    public RestoreOperation restores() {
        return restores;
    }

    @Override
    public DeleteOperation deletions() {
        return deletions;
    }

    @Override
    public Optional<GroupSnapshotOperation> groupSnapshots() {
        return Optional.of(groupSnapshots);
    }

    @Override
    public Optional<ClientFencing> fencing() {
        return Optional.of(fencing);
    }

    @Override
    public Optional<VolumeListing> volumeListing() {
        return Optional.of(new CephVolumeListing(connections, errors));
    }

    /**
     * Checks that the users may list, open and snapshot volumes in {@code sourcePools} and store backups in
     * the backup pool (see {@link CephAccessCheck}).
     */
    @Override
    public List<String> checkAccess(Set<String> sourcePools) {
        try {
            return new CephAccessCheck(connections).check(sourcePools);
        } catch (NativeCallException e) {
            throw errors.translate(e, "access check");
        }
    }

    @Override
    public Optional<VerifyOperation> verification() {
        return Optional.of(verification);
    }

    @Override
    public Optional<InventoryOperation> inventory() {
        return Optional.of(new CephInventory(connections, errors));
    }

    @Override
    public String describe() {
        CephSettings settings = connections.settings();
        String backup = "Ceph cluster " + connections.backup().fsid() + ", backup pool " + settings.pool();
        return settings.sameCluster()
                ? backup + ", volumes on the same cluster"
                : backup + ", volumes on cluster " + connections.source().fsid();
    }

    @Override
    public void close() {
        connections.close();
    }
}
