package com.example.cairn;

import io.cairn.tck.BackendContract;
import io.cairn.tck.BackendFixture;
import java.nio.file.Path;

/**
 * Runs the plugin API's contract test kit against this backend. It declares no INCREMENTAL capability,
 * so it extends BackendContract; a backend with incrementals extends IncrementalBackendContract.
 */
class ExampleContractTest extends BackendContract {

    @Override
    protected BackendFixture createFixture(Path workDir) {
        return new ExampleFixture(workDir);
    }
}
