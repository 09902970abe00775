package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.ceph.testing.FrozenOsd;
import io.cairn.ceph.testing.TestCluster;
import io.cairn.host.testing.CephTestConf;
import io.cairn.host.testing.CliRun;
import io.cairn.host.testing.TestConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in a real {@code cairn} process, as an operator runs it:
 * <ul>
 *   <li>the OSD stops (SIGSTOP) during {@code cairn backup}: the command exits 1 within the cluster's
 *       {@code timeout} plus a small margin, naming the cluster and what it waited for, and the backup is
 *       recorded {@code error} - no thread stuck in librbd keeps the process alive;</li>
 *   <li>{@code cairn backup} with {@code transfer: rbd-cli} and a cephx {@code key:} is killed (SIGKILL)
 *       in the middle of the transfer: the key was never on any {@code rbd} child's command line and
 *       never in a file on disk (the children read it from a memory file of cairn's), so nothing holding
 *       it is left behind; the children end too.</li>
 * </ul>
 */
class CephFaultsInCairnProcessesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_SECONDS = 5;
    /** Room for recording the failure and the JVM's exit; a wait for the OSD would take minutes. */
    private static final double MARGIN_SECONDS = 5;

    @TempDir
    Path root;

    @Test
    void aStoppedOsdEndsCairnBackupWithinTheTimeout() throws Exception {
        TestCluster ceph = TestCluster.dedicated("host-stall");
        String image = "volumes/stall" + UUID.randomUUID().toString().substring(0, 6);
        ceph.rbd("create", image, "--size", "512M");
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "seq", "--io-size", "4M", "--io-total", "512M", image);
        TestConf conf = CephTestConf.lab(root, ceph);
        // One IO at a time, so that the transfer lasts long enough to be caught in its middle.
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + ceph.conf() + "\n  user: admin\n  pool: backups\n"
                + "  timeout: " + TIMEOUT_SECONDS + "s\n  parallel_ios: 1\n");

        Process backup = cairn(conf, Map.of(), "backup", "lab", image);
        double seconds;
        try (FrozenOsd frozen = awaitTransfer(ceph, image, backup)) {
            assertTrue(backup.waitFor(60, TimeUnit.SECONDS), "cairn backup still runs 60 s after the OSD stopped");
            seconds = frozen.secondsFrozen();
        }
        String err = stderr(backup);
        System.err.printf("[stalled-osd] cairn backup exited %d %.1f s after the OSD stopped (timeout %d s): %s%n",
                backup.exitValue(), seconds, TIMEOUT_SECONDS, err.strip());
        assertEquals(1, backup.exitValue(), err);
        assertTrue(seconds < TIMEOUT_SECONDS + MARGIN_SECONDS, "exited " + seconds + " s after the OSD stopped");
        assertTrue(err.contains("cluster 'lab'") && err.contains("did not answer within " + TIMEOUT_SECONDS + " s"),
                err);

        CliRun list = CliRun.of(conf, "list", "--all", "--volume", image, "--json");
        assertEquals(0, list.exitCode(), list.toString());
        JsonNode record = JSON.readTree(list.out()).get(0);
        assertEquals("error", record.get("status").asText(), record.toString());
        assertTrue(record.get("error").asText().contains("cluster 'lab'"), record.toString());
    }

    @Test
    void aKilledRbdCliTransferLeavesNoKeyOnDiskOrInAnyCommandLine() throws Exception {
        TestCluster ceph = TestCluster.primary();
        String user = "secret" + UUID.randomUUID().toString().substring(0, 6);
        String key = keyOf(ceph.addUser(user), user);
        String image = "volumes/" + user;
        ceph.rbd("create", image, "--size", "1G");
        ceph.rbd("bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4M", "--io-total", "768M", image);
        TestConf conf = CephTestConf.lab(root, ceph);
        // The conf names every user's keyring ($name); point it nowhere, so the key can come only from key:.
        Path conf0 = root.resolve("ceph.conf");
        Files.writeString(conf0, Files.readString(ceph.conf()).replaceAll("(?m)^keyring = .*$",
                "keyring = " + root.resolve("no-such.keyring")));
        conf.cluster("lab", "plugin: ceph\noptions:\n  conf: " + conf0 + "\n  user: " + user + "\n  key: " + key
                + "\n  pool: backups\n  transfer: rbd-cli\n");
        Path tmp = Files.createDirectories(root.resolve("tmp"));

        Process backup = cairn(conf, Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp), "backup", "lab", image);
        List<Long> children = awaitRbdChildren(conf0, backup);
        for (long child : children) {
            String commandLine = commandLine(child);
            assertFalse(commandLine.contains(key), "the key is on the command line of " + child + ": " + commandLine);
            java.util.regex.Matcher keyFile = java.util.regex.Pattern.compile("--keyfile (/proc/" + backup.pid()
                    + "/fd/\\d+)").matcher(commandLine);
            assertTrue(keyFile.find(), "rbd reads its key from a file of cairn's: " + commandLine);
            assertTrue(Files.readSymbolicLink(Path.of(keyFile.group(1))).toString().startsWith("/memfd:"),
                    "the key file of rbd " + child + " lives in cairn's memory, not on a disk");
        }
        backup.destroyForcibly();
        assertTrue(backup.waitFor(30, TimeUnit.SECONDS));
        for (long child : children) {
            assertTrue(awaitGone(child, 30), "rbd child " + child + " outlived the killed cairn by 30 s");
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(file.getFileName().toString().startsWith("cairn-keyring-"), "a keyring file is left: " + file);
                if (!file.startsWith(conf.dir())) {
                    assertFalse(contains(file, key), "the key is in " + file);
                }
            }
        }
    }

    /** Starts {@code ./cairn --conf DIR ARGS} as a process of its own; its stderr goes to a file. */
    private Process cairn(TestConf conf, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(TestCluster.projectRoot().resolve("cairn").toString(),
                "--conf", conf.dir().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(root.resolve("cairn.err").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits until the backup's base image exists - its transfer begins - then stops the OSD. */
    private FrozenOsd awaitTransfer(TestCluster ceph, String image, Process backup) throws Exception {
        String prefix = image.substring(image.indexOf('/') + 1) + ".backup.";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(backup.isAlive(), () -> "cairn backup ended before its transfer was caught: " + stderr(backup));
            for (String base : ceph.rbd("ls", "backups").split("\n")) {
                if (base.startsWith(prefix)) {
                    return FrozenOsd.freeze(ceph);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no transfer of " + image + " began within 120 s");
    }

    /** The pids of the rbd processes the backup started (export-diff and import-diff), once both run. */
    private List<Long> awaitRbdChildren(Path conf, Process backup) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(backup.isAlive(), () -> "cairn backup ended before its rbd children were seen: "
                    + stderr(backup));
            List<Long> children = backup.descendants().filter(p -> commandLine(p.pid()).contains("--conf " + conf))
                    .filter(p -> commandLine(p.pid()).startsWith("rbd ")).map(ProcessHandle::pid).toList();
            if (children.size() == 2) {
                return children;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the rbd children of cairn backup did not appear within 120 s");
    }

    /** What the cairn process wrote to stderr so far. */
    private String stderr(Process process) {
        try {
            return Files.readString(root.resolve("cairn.err"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean awaitGone(long pid, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static String keyOf(Path keyring, String user) throws IOException {
        for (String line : Files.readAllLines(keyring)) {
            if (line.strip().startsWith("key = ")) {
                return line.strip().substring("key = ".length()).strip();
            }
        }
        throw new IllegalStateException("no key for " + user + " in " + keyring);
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
