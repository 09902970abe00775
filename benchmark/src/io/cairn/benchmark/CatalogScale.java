package io.cairn.benchmark;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.devtools.process.ChildProcesses;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.HoldState;
import io.cairn.host.catalog.SourceSnapshot;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.config.HostOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog at scale, without a Ceph cluster: an embedded catalog of 100,000 backup records (10,000 volumes with
 * ten backups each, two chains of five, the newest three kept) written through the host's own catalog code, a
 * schedule naming all 10,000 volumes, and {@code ./cairn} timed on it as an operator runs it - a new JVM each time:
 * a page of {@code list}, one volume's history, {@code show} by prefix, {@code plan} of the whole schedule
 * (every volume resolved and planned full or incremental, as a firing decides), and {@code list} unpaged (written
 * as the catalog reads it). Named volumes need no cluster
 * contact, so the cluster file only has to be valid.
 */
final class CatalogScale {

    static final int VOLUMES = 10_000;
    static final int BACKUPS_PER_VOLUME = 10;
    private static final int CHAIN = 5;
    private static final int KEEP = 3;
    private static final double LIST_TARGET_SECONDS = 0.5;
    private static final double PLAN_TARGET_SECONDS = 2.0;
    private static final Instant T0 = Instant.parse("2026-01-01T02:30:00Z");

    private final Path launcher;
    private final Path conf;
    /** No cluster: the clock reads only the machine's CPU time. */
    private final Timed timed = new Timed(new CpuClock(List.of()), ChildProcesses.untracked());
    private final int rounds;
    /** The median wall and CPU time of {@code cairn --version}: what every command pays before it starts. */
    private double jvmSeconds = Double.NaN;
    private double jvmCpuSeconds = Double.NaN;

    private CatalogScale(Path launcher, Path conf, int rounds) {
        this.launcher = launcher;
        this.conf = conf;
        this.rounds = rounds;
    }

    /** Writes the conf directory and seeds its catalog; prints how long seeding took. */
    static CatalogScale prepare(Path projectRoot, Path work, int rounds) {
        Path conf = work.resolve("conf");
        Path data = work.resolve("data");
        try {
            Files.createDirectories(conf.resolve("clusters"));
            Files.createDirectories(conf.resolve("schedules"));
            Files.createDirectories(data);
            Files.writeString(conf.resolve("cairn.yaml"), "# Written by benchmark/run; removed when it ends.\n"
                    + "plugins_dir: " + projectRoot.resolve("plugins") + "\ndata_dir: " + data + "\n");
            // Never contacted: the schedule names its volumes, and planning needs only the catalog.
            Files.writeString(work.resolve("ceph.conf"), "# placeholder: the catalog benchmark contacts no cluster\n");
            Files.writeString(conf.resolve("clusters/scale.yaml"), "plugin: ceph\noptions:\n  conf: "
                    + work.resolve("ceph.conf") + "\n  pool: backups\n");
            StringBuilder schedule = new StringBuilder("cluster: scale\ncron: \"0 30 2 * * ?\"\nchain: {full_every: " + CHAIN
                    + "}\nretention: {keep_last: " + KEEP + "}\nvolumes:\n");
            for (int v = 0; v < VOLUMES; v++) {
                schedule.append("  - ").append(volume(v)).append('\n');
            }
            Files.writeString(conf.resolve("schedules/big.yaml"), schedule);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        try (CatalogDatabase database = CatalogDatabase.open(new CatalogSettings(HostOptions.embeddedUrl(data),
                Optional.empty(), Optional.empty()))) {
            BackupCatalog catalog = new BackupCatalog(database);
            List<BackupRecord> batch = new ArrayList<>();
            for (int v = 0; v < VOLUMES; v++) {
                batch.addAll(history(v));
                if (batch.size() >= 20_000) {
                    catalog.insertAll(batch);
                    batch.clear();
                }
            }
            catalog.insertAll(batch);
            System.out.printf(Locale.ROOT, "catalog at scale: %d backup records of %d volumes written in %.1f s%n",
                    catalog.count(), VOLUMES, (System.nanoTime() - started) / 1e9);
        }
        return new CatalogScale(projectRoot.resolve("cairn"), conf, rounds);
    }

    static String volume(int v) {
        return String.format(Locale.ROOT, "volumes/vm-%05d", v);
    }

    /** One volume's ten backups: chains of five, a day apart; all but the newest three deleted by retention. */
    private static List<BackupRecord> history(int v) {
        List<BackupRecord> records = new ArrayList<>();
        VolumeRef volume = new VolumeRef(volume(v));
        BackupRecord previous = null;
        for (int i = 0; i < BACKUPS_PER_VOLUME; i++) {
            Instant started = T0.plus(Duration.ofDays(i)).plusMillis(v * 7L);
            boolean full = i % CHAIN == 0;
            BackupRecord creating = BackupRecord.creating(BackupId.random(), "scale", volume,
                    full ? BackupKind.FULL : BackupKind.INCREMENTAL, full ? Optional.empty() : Optional.of(previous),
                    Map.of("schedule", "big"), full ? "full backup, new chain" : "incremental", started);
            // The host keeps only the newest backup's source snapshot: older ones are recorded removed.
            SourceSnapshot snapshot = new SourceSnapshot("backup." + creating.id() + ".snap.1", "", 64L << 30, started,
                    i == BACKUPS_PER_VOLUME - 1 ? HoldState.HELD : HoldState.REMOVED);
            BackupRecord done = creating.withSnapshot(snapshot).available(creating.kind(),
                    ServiceMetadata.of("base", "vm-" + v + ".backup." + creating.chain()), 64L << 30, 1L << 30, 1L << 28,
                    started.plusSeconds(90));
            records.add(i < BACKUPS_PER_VOLUME - KEEP ? done.withStatus(BackupStatus.DELETED) : done);
            previous = done;
        }
        return records;
    }

    /**
     * Times each command {@code rounds} times and prints medians against the targets, and what each costs over a bare
     * JVM start (the first command, {@code --version}): on a machine busy with other work, that difference says more
     * than the total.
     */
    void run() {
        String someId = firstId();
        measure("JVM start alone: cairn --version", Double.NaN, "--version");
        measure("list --limit 50 (newest page of 30,000 kept)", LIST_TARGET_SECONDS, "list", "--limit", "50");
        measure("list --all --limit 50 --offset 50000", Double.NaN, "list", "--all", "--limit", "50", "--offset", "50000");
        measure("list --all --volume (one volume's 10)", LIST_TARGET_SECONDS, "list", "--all", "--volume", volume(4242));
        measure("show ID-PREFIX", LIST_TARGET_SECONDS, "show", someId.substring(0, 8));
        measure("plan of 10,000 volumes (--json)", PLAN_TARGET_SECONDS, "plan", "big", "--json");
        measure("list, unpaged (the 30,000 kept, a table)", Double.NaN, "list");
        measure("list --all --json, unpaged (100,000)", Double.NaN, "list", "--all", "--json");
    }

    private String firstId() {
        StringBuilder out = new StringBuilder();
        timed.run(command("list", "--limit", "1", "--json"), out);
        String json = out.toString();
        int at = json.indexOf("\"id\" : \"");
        if (at < 0) {
            throw new IllegalStateException("no backup in `cairn list --json`: " + json);
        }
        return json.substring(at + 8, json.indexOf('"', at + 8));
    }

    private void measure(String what, double target, String... args) {
        double[] seconds = new double[rounds];
        double[] cpu = new double[rounds];
        long rss = 0;
        int outputLength = 0;
        for (int r = 0; r < rounds; r++) {
            StringBuilder out = new StringBuilder();
            Measurement m = timed.run(command(args), out);
            seconds[r] = m.wallSeconds();
            cpu[r] = m.clientCpuSeconds();
            rss = Math.max(rss, m.peakRssBytes());
            outputLength = out.length();
        }
        double median = median(seconds);
        String overJvm = "";
        if (Double.isNaN(jvmSeconds)) {
            jvmSeconds = median;
            jvmCpuSeconds = median(cpu);
        } else {
            overJvm = String.format(Locale.ROOT, "  (%.2f s, CPU %.2f s over the JVM's start)", median - jvmSeconds,
                    median(cpu) - jvmCpuSeconds);
        }
        String verdict = Double.isNaN(target) ? "" : String.format(Locale.ROOT, "  target <= %.1f s: %s", target,
                median <= target ? "met" : "missed");
        System.out.printf(Locale.ROOT, "  %-46s %5.2f s  CPU %4.2f s  peak RSS %3.0f MiB  (%d KiB out) %s%s%s%n", what,
                median, median(cpu), rss / 1048576.0, outputLength / 1024, Arrays.toString(round(seconds)), overJvm,
                verdict);
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--conf", conf.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String[] round(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toArray(String[]::new);
    }
}
