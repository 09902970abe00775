package io.cairn.ceph;

import io.cairn.devtools.ceph.TestCluster;
import io.cairn.tck.BackendFixture;
import io.cairn.tck.IncrementalBackendContract;
import io.cairn.tck.InventoryContract;
import io.cairn.tck.VerifyContract;
import java.nio.file.Path;

/** The Ceph plugin against the whole plugin API contract, verify and inventory included, on a real throwaway cluster. */
class CephContractTest extends IncrementalBackendContract implements VerifyContract, InventoryContract {

    @Override
    protected BackendFixture createFixture(Path workDir) {
        return new CephFixture(TestCluster.primary());
    }
}
