package io.cairn.devtools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.devtools.ceph.Rbd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's scheduled phase: {@code cairn serve} runs the schedule {@code demo-every-5s}
 * ({@code full_every: 4}, {@code keep_last: 3}) for a minute while data keeps changing; then the volume's
 * chain is shown with what retention pruned, and the newest backup is restored and compared by checksum
 * with its source snapshot.
 */
final class ScheduledPhase {

    static final String SCHEDULE = "demo-every-5s";
    static final Duration RUN_FOR = Duration.ofSeconds(60);
    private static final Duration WRITE_EVERY = Duration.ofSeconds(4);
    /** serve's own stop_timeout (set in the demo's cairn.yaml), and a margin to exit after it. */
    static final Duration SERVE_STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SERVE_EXIT = SERVE_STOP_TIMEOUT.plusSeconds(15);

    private final Path conf;
    private final CairnCommands cairn;
    private final Rbd rbd;
    private final String image;
    private final ClusterWatch watch;
    private final Steps steps;

    ScheduledPhase(Path conf, CairnCommands cairn, Rbd rbd, String image, ClusterWatch watch, Steps steps) {
        this.conf = conf;
        this.cairn = cairn;
        this.rbd = rbd;
        this.image = image;
        this.watch = watch;
        this.steps = steps;
    }

    /**
     * Runs the phase.
     *
     * @param report receives the lines of the final report
     * @return whether the restore of the newest backup matched its source snapshot
     */
    boolean run(List<String> report) {
        writeSchedule();
        steps.step("scheduled phase: cairn serve runs schedule " + SCHEDULE + " (every 5 s, full_every 4, keep_last 3)"
                + " for " + RUN_FOR.toSeconds() + " s while data keeps changing");
        CairnCommands.Serve serve = cairn.serve();
        boolean ran = false;
        try {
            long end = System.nanoTime() + RUN_FOR.toNanos();
            long nextWrite = 0;
            while (System.nanoTime() < end) {
                watch.assertAlive(steps.current());
                if (!serve.isAlive()) {
                    throw new IllegalStateException("cairn serve exited early (exit " + serve.exitValue() + ")");
                }
                if (System.nanoTime() > nextWrite) {
                    // New data between firings, so that each incremental backup carries some.
                    rbd.benchWrite(image, "rand", "4K", "2M");
                    nextWrite = System.nanoTime() + WRITE_EVERY.toNanos();
                }
                Thread.sleep(200);
            }
            ran = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (ran) {
                steps.step("stopping cairn serve (SIGTERM)");
            }
            int exitCode = serve.stop(SERVE_EXIT);
            if (ran && exitCode != 0) {
                throw new IllegalStateException("cairn serve exited with " + exitCode + " after SIGTERM");
            }
        }
        return reportChain(report);
    }

    private boolean reportChain(List<String> report) {
        steps.step("the volume's backups now, with what retention pruned");
        List<JsonNode> all = new ArrayList<>();
        cairn.json("list", "--volume", image, "--all").forEach(all::add);
        report.add("schedule " + SCHEDULE + " (cron 0/5 * * * * ?, full_every 4, keep_last 3) ran for "
                + RUN_FOR.toSeconds() + " s; the volume's backups now, oldest first:");
        for (JsonNode backup : all) {
            report.add(String.format("  %s  %-11s %-9s %s", shortId(backup), backup.path("kind").asText(),
                    backup.path("status").asText(), backup.path("parent").isTextual()
                            ? "parent " + backup.path("parent").asText().substring(0, 8) : "new chain"));
        }
        long pruned = all.stream().filter(b -> b.path("status").asText().equals("deleted")).count();
        List<JsonNode> available = all.stream().filter(b -> b.path("status").asText().equals("available")).toList();
        report.add("retention kept " + available.size() + " and pruned " + pruned + "; base images left in pool backups: "
                + String.join(", ", rbd.list("backups")));
        if (available.isEmpty()) {
            report.add("no scheduled backup is available: the schedule did not fire");
            return false;
        }
        JsonNode newest = available.get(available.size() - 1);
        String source = rbd.sha256(image + "@" + newest.path("snapshot").asText());
        String target = "volumes/demo-restore-scheduled";
        steps.step("restoring the newest scheduled backup into " + target);
        cairn.json("restore", newest.path("id").asText(), target);
        String restored = rbd.sha256(target);
        boolean match = restored.equals(source);
        report.add(String.format("restore of the newest scheduled backup %s into %s: sha256 %s... %s", shortId(newest),
                target, restored.substring(0, 16), match ? "= source snapshot"
                        : "!= source snapshot " + source.substring(0, 16)));
        return match;
    }

    private void writeSchedule() {
        try {
            Path dir = conf.resolve("schedules");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(SCHEDULE + ".yaml"), "cluster: " + Demo.CLUSTER + "\nvolumes: [" + image
                    + "]\ncron: \"0/5 * * * * ?\"\nchain: {full_every: 4}\nretention: {keep_last: 3}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortId(JsonNode backup) {
        return backup.path("id").asText().substring(0, 8);
    }
}
