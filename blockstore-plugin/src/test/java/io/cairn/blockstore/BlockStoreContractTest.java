package io.cairn.blockstore;

import io.cairn.tck.BackendFixture;
import io.cairn.tck.IncrementalBackendContract;
import java.nio.file.Path;
import java.util.Map;

/** The block store backend against the whole plugin API contract, on real files. */
class BlockStoreContractTest extends IncrementalBackendContract {

    @Override
    protected BackendFixture createFixture(Path workDir) {
        return new BlockStoreFixture(workDir, Map.of());
    }
}
