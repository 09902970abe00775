package io.cairn.devtools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.CairnConf;
import io.cairn.devtools.ceph.ClusterTearDown;
import io.cairn.devtools.ceph.DevCluster;
import io.cairn.devtools.ceph.Rbd;
import io.cairn.devtools.process.ChildProcesses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./cairn demo}: a real backup and restore on a throwaway Ceph cluster, start to finish, with the
 * same {@code ./cairn} commands an operator types.
 *
 * <p>Starts a cluster, writes a conf directory for it, creates an RBD image and writes data, takes a full
 * and then (after more writes) an incremental backup with {@code cairn backup}, restores both into new
 * images with {@code cairn restore}, and compares SHA-256 checksums of each restore with its source
 * snapshot, read independently by the {@code rbd} CLI. Then {@code cairn serve} runs a schedule for a
 * minute ({@link ScheduledPhase}).
 *
 * <p>It always ends: every command has a deadline ({@link #STEP_TIMEOUT}); when a daemon of the cluster
 * dies the demo fails at once, naming it ({@link ClusterWatch}); and whatever happens - success, failure,
 * Ctrl-C, SIGTERM - its processes are ended, the cluster stopped and its files removed ({@link ClusterTearDown}).
 */
final class Demo {

    static final String CLUSTER = "demo";
    static final String IMAGE = "volumes/demo-disk";
    /** The deadline of each command; all of them take a few seconds on a healthy cluster. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private final Path projectRoot;
    private final PrintStream out;
    private final PrintStream err;
    private final Steps steps;

    Demo(Path projectRoot, PrintStream out, PrintStream err) {
        this.projectRoot = projectRoot;
        this.out = out;
        this.err = err;
        this.steps = new Steps(err);
    }

    /**
     * Runs the demo.
     *
     * @return whether every restore matched its source snapshot
     * @throws DemoFailure when it cannot go on (the cluster died, a command failed or hung)
     * @throws Interrupted when Ctrl-C or SIGTERM ended it
     */
    boolean run() {
        Path work = ClusterTearDown.workDir("cairn-demo-");
        Path clusterDir = work.resolve("ceph");
        ChildProcesses children = ChildProcesses.tracked();
        // On Ctrl-C or SIGTERM the finally below may not get to run: a shutdown hook tears down instead.
        ClusterTearDown tearDown = new ClusterTearDown(projectRoot, work, clusterDir, children,
                line -> err.println("demo: " + line)).onShutdown();
        try {
            steps.step("starting a throwaway Ceph cluster in " + clusterDir
                    + " (installs Ceph's packages first if they are missing)");
            DevCluster cluster = DevCluster.in(projectRoot, clusterDir).progressTo(err).in(children).start();
            try (ClusterWatch watch = ClusterWatch.start(cluster, children)) {
                tearDown.closeFirst(watch);
                try {
                    return runOn(cluster, work, children, watch);
                } catch (RuntimeException e) {
                    if (tearDown.started()) {
                        throw new Interrupted();
                    }
                    // A command that failed because the cluster died says so less clearly than the watch.
                    RuntimeException failure = e instanceof DemoFailure ? e : watch.check()
                            .<RuntimeException>map(daemon -> watch.failure(daemon, steps.current(), e)).orElse(e);
                    throw keepLogs(cluster, work, failure);
                }
            }
        } catch (RuntimeException e) {
            if (tearDown.started()) {
                throw new Interrupted();
            }
            throw e instanceof DemoFailure ? e : new DemoFailure("\"" + steps.current() + "\" failed: " + e.getMessage(), e);
        } finally {
            tearDown.run();
        }
    }

    /** Ctrl-C or SIGTERM ended the demo; the tear-down has said what it did. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted");
        }
    }

    /** The tear-down removes the cluster's directory: its logs are copied out first, and the failure says where. */
    private DemoFailure keepLogs(DevCluster cluster, Path work, RuntimeException failure) {
        Path kept = work.resolveSibling(work.getFileName() + "-logs");
        String message = failure instanceof DemoFailure ? failure.getMessage()
                : "\"" + steps.current() + "\" failed: " + failure.getMessage();
        try {
            cluster.keepLogs(kept);
            message += " The cluster's logs are kept in " + kept + ".";
        } catch (IOException e) {
            message += " (The cluster's logs could not be kept: " + e.getMessage() + ")";
        }
        return new DemoFailure(message, failure);
    }

    private boolean runOn(DevCluster cluster, Path work, ChildProcesses children, ClusterWatch watch) {
        Path conf = CairnConf.write(work.resolve("conf"), "./cairn demo", projectRoot, work.resolve("data"), CLUSTER,
                cluster.conf(), "stop_timeout: " + ScheduledPhase.SERVE_STOP_TIMEOUT.toSeconds() + "s",
                // A port of the system's choosing (serve prints its URL): another serve or demo on this machine
                // may hold the default 127.0.0.1:9464.
                "http_listen: \"127.0.0.1:0\"");
        Rbd rbd = new Rbd(cluster.conf(), STEP_TIMEOUT, children);
        CairnCommands cairn = new CairnCommands(projectRoot.resolve("cairn"), conf, children, STEP_TIMEOUT, err);
        steps.step("creating " + IMAGE + " (256 MiB) and writing 48 MiB of data into it");
        rbd.create(IMAGE, 256L << 20);
        rbd.benchWrite(IMAGE, "rand", "64K", "48M");

        List<String> report = new ArrayList<>();
        steps.step("full backup of " + IMAGE);
        JsonNode full = cairn.json("backup", CLUSTER, IMAGE);
        String fullSource = rbd.sha256(IMAGE + "@" + full.path("snapshot").asText());

        steps.step("writing 8 MiB more in 4 KiB pieces, then an incremental backup");
        rbd.benchWrite(IMAGE, "rand", "4K", "8M");
        JsonNode incremental = cairn.json("backup", CLUSTER, IMAGE);
        String incrementalSource = rbd.sha256(IMAGE + "@" + incremental.path("snapshot").asText());

        report.add(describe("full backup", full));
        report.add(describe("incremental backup", incremental));
        boolean allMatch = restoreAndCompare(cairn, rbd, full, "volumes/demo-restore-full", fullSource, report);
        allMatch &= restoreAndCompare(cairn, rbd, incremental, "volumes/demo-restore-incremental", incrementalSource,
                report);

        allMatch &= new ScheduledPhase(conf, cairn, rbd, IMAGE, watch, steps).run(report);
        out.println();
        out.println("Cairn demo: " + IMAGE + " on a throwaway Ceph cluster (catalog and conf in " + work + ")");
        report.forEach(line -> out.println("  " + line));
        out.println(allMatch ? "All restores are byte-identical to their source snapshots."
                : "CHECKSUM MISMATCH: a restore differs from its source snapshot.");
        return allMatch;
    }

    private boolean restoreAndCompare(CairnCommands cairn, Rbd rbd, JsonNode backup, String target, String sourceSha,
            List<String> report) {
        steps.step("restoring the " + backup.path("kind").asText() + " backup into " + target);
        JsonNode result = cairn.json("restore", backup.path("id").asText(), target);
        String restoredSha = rbd.sha256(target);
        boolean match = restoredSha.equals(sourceSha);
        report.add(String.format("restore into %-33s %s restore, sha256 %s... %s", target, result.path("mode").asText(),
                restoredSha.substring(0, 16), match ? "= source snapshot"
                        : "!= source snapshot " + sourceSha.substring(0, 16) + "..."));
        return match;
    }

    private static String describe(String what, JsonNode backup) {
        Duration took = Duration.between(Instant.parse(backup.path("created_at").asText()),
                Instant.parse(backup.path("finished_at").asText()));
        String parent = backup.path("parent").isTextual() ? " (parent " + backup.path("parent").asText() + ")" : "";
        return String.format(Locale.ROOT, "%-19s %s  %.1f MiB written in %.1f s%s", what, backup.path("id").asText(),
                backup.path("bytes_written").asLong() / (1024.0 * 1024.0), took.toMillis() / 1000.0, parent);
    }
}
