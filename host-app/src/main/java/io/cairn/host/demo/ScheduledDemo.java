package io.cairn.host.demo;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.Host;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.ScheduleService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quartz.SchedulerException;

/**
 * The demo's scheduled phase: the schedule {@code demo-every-5s} ({@code full_every: 4},
 * {@code keep_last: 3}) runs through the same scheduler as {@code cairn serve} for about a minute while
 * data keeps changing; then the volume's chain is shown with what retention pruned, and the newest
 * backup is restored and compared by checksum with its source snapshot.
 */
final class ScheduledDemo {

    static final String SCHEDULE = "demo-every-5s";
    private static final Duration RUN_FOR = Duration.ofSeconds(60);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Path conf;
    private final Rbd rbd;
    private final String image;
    private final PrintStream err;

    ScheduledDemo(Path conf, Rbd rbd, String image, PrintStream err) {
        this.conf = conf;
        this.rbd = rbd;
        this.image = image;
        this.err = err;
    }

    /**
     * Runs the phase.
     *
     * @param report receives the lines of the final report
     * @return whether the restore of the newest backup matched its source snapshot
     */
    boolean run(List<String> report) {
        writeSchedule();
        Set<String> seen = new HashSet<>();
        try (Host host = Host.open(conf)) {
            host.catalog().list(filter(true)).forEach(record -> seen.add(record.id().value()));
            ScheduleService service = host.serve(ScheduleFileReader.readAll(ConfDirectory.at(conf)));
            long end = System.nanoTime() + RUN_FOR.toNanos();
            long nextWrite = 0;
            try {
                while (System.nanoTime() < end) {
                    if (System.nanoTime() > nextWrite) {
                        // New data between firings, so that each incremental backup carries some.
                        rbd.writeRandom(image, "4K", "2M");
                        nextWrite = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                    }
                    for (BackupRecord record : host.catalog().list(filter(true))) {
                        if (record.status() == BackupStatus.AVAILABLE && seen.add(record.id().value())) {
                            err.println("demo:   " + TIME.format(record.startedAt()) + " " + record.kind().label()
                                    + " backup " + shortId(record) + " - " + record.planReason());
                        }
                    }
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                service.stop();
            }
            return reportChain(host, report);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the demo's scheduler did not start: " + e.getMessage(), e);
        }
    }

    private boolean reportChain(Host host, List<String> report) {
        List<BackupRecord> all = host.catalog().list(filter(true));
        report.add("schedule " + SCHEDULE + " (cron 0/5 * * * * ?, full_every 4, keep_last 3) ran for "
                + RUN_FOR.toSeconds() + " s; the volume's backups now, oldest first:");
        for (BackupRecord record : all) {
            report.add(String.format("  %s  %-11s %-9s %s", shortId(record), record.kind().label(),
                    record.status().label(), record.parent().map(p -> "parent " + p.value().substring(0, 8)).orElse(
                            "new chain")));
        }
        long pruned = all.stream().filter(r -> r.status() == BackupStatus.DELETED).count();
        long kept = all.stream().filter(r -> r.status() == BackupStatus.AVAILABLE).count();
        report.add("retention kept " + kept + " and pruned " + pruned + "; base images left in pool backups: "
                + String.join(", ", rbd.list("backups")));
        Optional<BackupRecord> newest = all.stream().filter(r -> r.status() == BackupStatus.AVAILABLE)
                .reduce((first, second) -> second);
        if (newest.isEmpty()) {
            report.add("no scheduled backup is available: the schedule did not fire");
            return false;
        }
        String source = rbd.sha256(image + "@" + newest.get().snapshotName().orElseThrow());
        String target = "volumes/demo-restore-scheduled";
        host.restores().restore(newest.get(), host.cluster("demo"), new VolumeRef(target), false,
                io.cairn.api.ProgressListener.NONE);
        String restored = rbd.sha256(target);
        boolean match = restored.equals(source);
        report.add(String.format("restore of the newest scheduled backup %s into %s: sha256 %s... %s", shortId(newest.get()),
                target, restored.substring(0, 16), match ? "= source snapshot" : "!= source snapshot " + source.substring(0, 16)));
        return match;
    }

    private BackupFilter filter(boolean includeDeleted) {
        return new BackupFilter(Optional.of("demo"), Optional.of(new VolumeRef(image)), includeDeleted);
    }

    private void writeSchedule() {
        try {
            Path dir = conf.resolve("schedules");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(SCHEDULE + ".yaml"), "cluster: demo\nvolumes: [" + image + "]\n"
                    + "cron: \"0/5 * * * * ?\"\nchain: {full_every: 4}\nretention: {keep_last: 3}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortId(BackupRecord record) {
        return record.id().value().substring(0, 8);
    }
}
