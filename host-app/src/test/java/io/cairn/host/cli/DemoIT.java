package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import io.cairn.host.testing.DemoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./cairn demo} as a new user runs it: it ends on its own, restores byte-identical and leaves
 * nothing behind - also when its cluster's OSD is killed under it, on Ctrl-C and on SIGTERM.
 */
class DemoIT {

    /** From the fault to the demo's exit: its watch sees a dead daemon within a second, tearing down takes ~10 s. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void theDemoRestoresByteIdenticalAndLeavesNothingBehind() {
        Command.Result result = TestCluster.run(List.of(TestCluster.projectRoot().resolve("cairn").toString(), "demo"),
                900);
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stdout().contains("All restores are byte-identical to their source snapshots."), result.stdout());
        assertTrue(result.stdout().contains("incremental backup"), result.stdout());
        assertTrue(result.stdout().contains("retention kept 3"), result.stdout());
        Path work = DemoProcess.workDir(result.stderr());
        assertTrue(result.stderr().contains("demo: stopped the cluster and removed " + work), result.stderr());
        assertLeftNothing(work);
    }

    /**
     * The OSD killed outright, and crashed as memstore did in the snapshot trimmer (Ceph then writes a
     * crash report and removes its pid file), as the first cairn backup starts: the demo ends its commands
     * and says which daemon died, when and how.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "KILL | it left no crash report (killed by a signal",
        "SEGV | it crashed: *** Caught signal (Segmentation fault) **"})
    void anOsdDyingUnderTheDemoEndsItWithAClearFailure(String signal, String explanation) throws Exception {
        try (DemoProcess demo = DemoProcess.start()) {
            demo.awaitOutput("demo: $ cairn backup demo volumes/demo-disk");
            demo.signalOsd(signal);
            int exitCode = demo.awaitExit(BOUND);
            assertEquals(1, exitCode, demo.stderr());
            assertTrue(demo.stderr().contains("demo: FAILED: the demo's Ceph cluster failed: osd.0 (pid "), demo.stderr());
            assertTrue(demo.stderr().contains("stopped running during \"full backup of volumes/demo-disk\""), demo.stderr());
            assertTrue(demo.stderr().contains(explanation), demo.stderr());
            Path keptLogs = Path.of(demo.workDir() + "-logs");
            assertTrue(demo.stderr().contains("The cluster's logs are kept in " + keptLogs + "."), demo.stderr());
            assertTrue(Files.exists(keptLogs.resolve("ceph-osd.0.log")), keptLogs + " holds no OSD log");
            DemoProcess.deleteTree(keptLogs);
            assertLeftNothing(demo.workDir());
        }
    }

    /**
     * Ctrl-C in a terminal (SIGINT to every process of the demo's group) while cairn serve runs and an rbd
     * writer adds data (where the old demo left its writer running), and {@code kill PID} (SIGTERM to the
     * demo alone) while the first data is written: each ends the demo with its exit code, leaving nothing.
     */
    @ParameterizedTest
    @CsvSource({"CTRL_C, demo: $ cairn serve, 130", "SIGTERM, demo: creating volumes/demo-disk, 143"})
    void stoppingTheDemoWhileItWritesDataLeavesNothingBehind(String stop, String during, int expectedExitCode)
            throws Exception {
        try (DemoProcess demo = DemoProcess.start()) {
            demo.awaitOutput(during);
            demo.awaitRbdWriter();
            if (stop.equals("CTRL_C")) {
                demo.interruptProcessGroup();
            } else {
                demo.terminate();
            }
            int exitCode = demo.awaitExit(BOUND);
            assertEquals(expectedExitCode, exitCode, demo.stderr());
            assertFalse(demo.stderr().contains("demo: FAILED"), demo.stderr());
            assertTrue(demo.stderr().contains("demo: stopped the cluster and removed " + demo.workDir()), demo.stderr());
            assertLeftNothing(demo.workDir());
        }
    }

    /** No ceph-mon, ceph-osd, rbd or cairn process of this demo runs, and its directory is gone. */
    private static void assertLeftNothing(Path work) {
        List<String> left = DemoProcess.processesMentioning(work);
        assertTrue(left.isEmpty(), "processes of the demo in " + work + " still run: " + left);
        assertFalse(Files.exists(work), work + " still exists");
    }
}
