package io.cairn.benchmark;

import io.cairn.devtools.ceph.CairnConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./cairn} as an operator runs it - a new JVM for every command, started by the launcher - with
 * a conf directory of its own that points at the benchmark's cluster.
 */
final class Cairn {

    static final String CLUSTER = "bench";
    /** The same cluster with record_digests off: what digests cost a backup is the difference. */
    static final String PLAIN_CLUSTER = "bench-plain";

    private final Path launcher;
    private final Path confDir;
    private final Timed timed;

    private Cairn(Path launcher, Path confDir, Timed timed) {
        this.launcher = launcher;
        this.confDir = confDir;
        this.timed = timed;
    }

    /**
     * A conf directory (as {@code cairn demo} writes one) for the cluster whose ceph.conf is {@code cephConf},
     * plus a second cluster file {@value #PLAIN_CLUSTER} over the same cluster that records no digests.
     */
    static Cairn configure(Path projectRoot, Path workDir, Path cephConf, Timed timed) {
        Path conf = CairnConf.write(workDir.resolve("conf"), "benchmark/run", projectRoot, workDir.resolve("data"),
                CLUSTER, cephConf);
        try {
            Files.writeString(conf.resolve("clusters").resolve(PLAIN_CLUSTER + ".yaml"), "plugin: ceph\noptions:\n"
                    + "  conf: " + cephConf + "\n  user: admin\n  pool: backups\n  record_digests: false\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Cairn(projectRoot.resolve("cairn"), conf, timed);
    }

    /** What one command printed and cost. */
    record Run(Measurement cost, String json) {

        String text(String key) {
            Matcher m = field(key).matcher(json);
            if (!m.find() || m.group(2) == null) {
                throw new IllegalStateException("no " + key + " in cairn's output: " + json);
            }
            return m.group(2);
        }

        long number(String key) {
            Matcher m = field(key).matcher(json);
            if (!m.find() || m.group(3) == null) {
                throw new IllegalStateException("no " + key + " in cairn's output: " + json);
            }
            return Long.parseLong(m.group(3));
        }

        /** From the backup's record being created to it being stored: the backup minus start-up and tidying. */
        double recordedSeconds() {
            return Duration.between(Instant.parse(text("created_at")), Instant.parse(text("finished_at"))).toNanos()
                    / 1e9;
        }

        /** A decimal figure, such as {@code seconds}. */
        double decimal(String key) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no " + key + " in cairn's output: " + json);
            }
            return Double.parseDouble(m.group(1));
        }

        private static Pattern field(String key) {
            // The first occurrence is the top-level one: nested objects come after the scalar fields.
            return Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\"([^\"]*)\"|(-?\\d+)|null)");
        }
    }

    /** {@code cairn backup bench VOLUME [--full] --json -q}. */
    Run backup(String volume, boolean full) {
        return backup(CLUSTER, volume, full);
    }

    /** {@code cairn backup CLUSTER VOLUME [--full] --json -q}. */
    Run backup(String cluster, String volume, boolean full) {
        List<String> args = new ArrayList<>(List.of("backup", cluster, volume, "--json", "-q"));
        if (full) {
            args.add("--full");
        }
        Run run = run(args);
        if (!run.text("status").equals("available")) {
            throw new IllegalStateException("backup of " + volume + " ended " + run.text("status") + ": " + run.json());
        }
        return run;
    }

    /** {@code cairn verify ID --json -q}: a full verify against the digests recorded at backup time. */
    Run verify(String backupId) {
        Run run = run(List.of("verify", backupId, "--json", "-q"));
        if (!run.text("result").equals("intact")) {
            throw new IllegalStateException("verify of backup " + backupId + " ended " + run.text("result") + ": "
                    + run.json());
        }
        return run;
    }

    /** {@code cairn restore ID TARGET --json -q}. */
    Run restore(String backupId, String target) {
        return run(List.of("restore", backupId, target, "--json", "-q"));
    }

    /** A command that does no transfer, to see what starting the JVM and the host costs. */
    Run idle(String... args) {
        return run(List.of(args));
    }

    private Run run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--conf", confDir.toString()));
        command.addAll(args);
        StringBuilder out = new StringBuilder();
        Measurement cost = timed.run(command, out);
        return new Run(cost, out.toString());
    }
}
