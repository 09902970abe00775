package io.cairn.ceph;

import io.cairn.ceph.testing.TestCluster;
import io.cairn.tck.BackendFixture;
import io.cairn.tck.IncrementalBackendContract;
import java.nio.file.Path;

/** The Ceph plugin against the whole plugin API contract, on a real throwaway cluster. */
class CephContractTest extends IncrementalBackendContract {

    @Override
    protected BackendFixture createFixture(Path workDir) {
        return new CephFixture(TestCluster.primary());
    }
}
