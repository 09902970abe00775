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
import org.junit.jupiter.params.provider.EnumSource;

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

    /** How the demo's OSD dies under it, and what the demo then says about it. */
    enum OsdDeath {
        /** Killed outright: no crash report. */
        SIGKILL("it left no crash report (killed by a signal"),
        /** Crashed, as memstore did in the snapshot trimmer: Ceph writes a crash report and removes its pid file. */
        SIGSEGV("it crashed: *** Caught signal (Segmentation fault) **");

        final String explanation;

        OsdDeath(String explanation) {
            this.explanation = explanation;
        }
    }

    @ParameterizedTest
    @EnumSource(OsdDeath.class)
    void anOsdDyingUnderTheDemoEndsItWithAClearFailure(OsdDeath death) throws Exception {
        try (DemoProcess demo = DemoProcess.start()) {
            demo.awaitScheduledPhase();
            demo.signalOsd(death.name());
            int exitCode = demo.awaitExit(BOUND);
            assertEquals(1, exitCode, demo.stderr());
            assertTrue(demo.stderr().contains("demo: FAILED: the demo's Ceph cluster failed: osd.0 (pid "), demo.stderr());
            assertTrue(demo.stderr().contains("stopped running during \"scheduled phase"), demo.stderr());
            assertTrue(demo.stderr().contains(death.explanation), demo.stderr());
            Path keptLogs = Path.of(demo.workDir() + "-logs");
            assertTrue(demo.stderr().contains("The cluster's logs are kept in " + keptLogs + "."), demo.stderr());
            assertTrue(Files.exists(keptLogs.resolve("ceph-osd.0.log")), keptLogs + " holds no OSD log");
            DemoProcess.deleteTree(keptLogs);
            assertLeftNothing(demo.workDir());
        }
    }

    /** How a person ends a demo early, and the exit code that says so. */
    enum Stop {
        /** Ctrl-C in a terminal: SIGINT to every process of the demo's group. */
        CTRL_C(130),
        /** {@code kill PID}: SIGTERM to the demo alone. */
        SIGTERM(143);

        final int exitCode;

        Stop(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void stoppingTheDemoWhileItWritesDataLeavesNothingBehind(Stop stop) throws Exception {
        try (DemoProcess demo = DemoProcess.start()) {
            demo.awaitScheduledPhase();
            demo.awaitRbdWriter();
            if (stop == Stop.CTRL_C) {
                demo.interruptProcessGroup();
            } else {
                demo.terminate();
            }
            int exitCode = demo.awaitExit(BOUND);
            assertEquals(stop.exitCode, exitCode, demo.stderr());
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
