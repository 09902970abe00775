package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.ceph.testing.TestCluster;
import io.cairn.ceph.testing.TestCluster.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./cairn demo} as a new user runs it: exit 0, both restores byte-identical, nothing left running. */
class DemoIT {

    @Test
    void theDemoRestoresByteIdenticalAndTearsDown() {
        Result result = TestCluster.run(List.of(TestCluster.projectRoot().resolve("cairn").toString(), "demo"), 1200);
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stdout().contains("All restores are byte-identical to their source snapshots."), result.stdout());
        assertTrue(result.stdout().contains("incremental backup"), result.stdout());
        assertTrue(result.stderr().contains("demo: stopped the cluster and removed"), result.stderr());
    }
}
