package io.cairn.blockstore;

import io.cairn.tck.BackendFixture;
import io.cairn.tck.IncrementalBackendContract;
import io.cairn.tck.InventoryContract;
import io.cairn.tck.VerifyContract;
import java.nio.file.Path;
import java.util.Map;

/** The block store backend against the whole plugin API contract, verify and inventory included, on real files. */
class BlockStoreContractTest extends IncrementalBackendContract implements VerifyContract, InventoryContract {

    @Override
    protected BackendFixture createFixture(Path workDir) {
        return new BlockStoreFixture(workDir, Map.of());
    }
}
