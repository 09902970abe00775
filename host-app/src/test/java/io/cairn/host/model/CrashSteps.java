package io.cairn.host.model;

import io.cairn.host.testing.CliRun;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Crashes and what follows them: an operation run as a process of its own and killed with SIGKILL at a
 * random moment, and {@code cairn serve}'s start-up recovery. The kill comes after a delay drawn between
 * zero and a little more than the operation takes (learnt from the children that finished first), so
 * kills land anywhere: before anything was done, in the middle of the transfer, or at its end.
 */
final class CrashSteps {

    /** What the host logs (with -v) once its cluster session is open: the operation starts right after. */
    private static final String SESSION_OPENED = "ClusterSessions: cluster ";
    private static final double FIRST_ESTIMATE_SECONDS = 0.8;
    private static final double STARTUP_SECONDS = 5;
    private static final long SERVE_START_SECONDS = 120;
    private static final long RECOVERY_SECONDS = 120;

    private final ModelWorld world;
    private final Invariants invariants;
    private final Random random;
    private final Map<String, Double> estimates = new HashMap<>();

    CrashSteps(ModelWorld world, Invariants invariants, Random random) {
        this.world = world;
        this.invariants = invariants;
        this.random = random;
    }

    /**
     * Runs {@code operation} in a process of its own and kills it at a random moment: mostly after it has
     * opened its cluster session (its log says so), within a little more than the rest usually takes;
     * one time in eight anywhere from its start, JVM start-up included.
     *
     * @return true if it was killed (recovery must follow), false if it ended first (and was checked)
     */
    boolean runAndKill(Operation operation, StepLog log) throws InterruptedException {
        double estimate = estimates.getOrDefault(operation.kind(), FIRST_ESTIMATE_SECONDS);
        boolean early = random.nextInt(8) == 0;
        long delayMillis = (long) (random.nextDouble() * (early ? STARTUP_SECONDS : estimate * 1.2) * 1000);
        try (ChildCairn child = world.child(operation.args())) {
            double opened = -1;
            boolean ended;
            if (early) {
                ended = child.awaitExit(delayMillis);
            } else {
                ended = !child.awaitStderr(SESSION_OPENED, 120);
                opened = child.elapsedSeconds();
                ended = ended || child.awaitExit(delayMillis);
            }
            if (ended) {
                if (opened >= 0) {
                    estimates.put(operation.kind(), 0.6 * estimate + 0.4 * (child.elapsedSeconds() - opened));
                }
                log.note(String.format("ended by itself after %.1f s, before the kill", child.elapsedSeconds()));
                log.note(operation.expect(new CliRun(child.exitCode(), child.stdout(), child.stderr())));
                return false;
            }
            child.kill();
            log.note(early ? String.format("SIGKILL at %.1f s after start", delayMillis / 1e3)
                    : String.format("SIGKILL %.2f s after its session opened", delayMillis / 1e3));
            int orphans = ChildCairn.orphansAlive().size();
            if (orphans > 0) {
                log.note(orphans + " process" + (orphans == 1 ? "" : "es") + " it started live on");
            }
        }
        log.note(operation.killed());
        return true;
    }

    /**
     * A restore of an available backup into a new image and a delete of the same backup, each in a process
     * of its own, started together (the delete up to a second later). The delete must be refused while
     * the restore runs - a restore reporting success must be byte-identical whatever the delete did - and
     * a restore that failed must leave its target marked as unfinished (or no target).
     */
    String raceRestoreAndDelete(Model model, ModelBackup backup, String target)
            throws InterruptedException {
        String restoreOutcome;
        String deleteOutcome;
        try (ChildCairn restore = world.child("restore", backup.id(), target, "--json", "-q")) {
            Thread.sleep(random.nextInt(1000));
            try (ChildCairn delete = world.child("delete", backup.id(), "--json")) {
                if (!delete.awaitExit(300_000) || !restore.awaitExit(300_000)) {
                    throw new AssertionError("a restore racing a delete did not end within 300 s:\n" + restore.stderr()
                            + "\n" + delete.stderr());
                }
                Optional<String> busy = BusyDeletes.busyImage(delete.stderr());
                if (delete.exitCode() == 0) {
                    model.deleted(backup);
                    model.noticedGone(List.of(backup));
                    deleteOutcome = "deleted";
                } else if (delete.exitCode() == 1 && busy.isPresent()) {
                    // It began (the backup is deleting) and met the base image open: finished once it is not.
                    deleteOutcome = "delete failed: " + new BusyDeletes(world, model).finish(backup, busy.get(),
                            delete.stderr());
                } else if (delete.exitCode() == 1) {
                    deleteOutcome = "delete refused: " + firstLine(delete.stderr());
                } else {
                    throw new AssertionError("the delete racing a restore exited " + delete.exitCode() + ":\n"
                            + delete.stderr());
                }
            }
            if (restore.exitCode() == 0) {
                String sha = world.ceph().sha256(target);
                if (!sha.equals(backup.content().hex())) {
                    throw new AssertionError("a restore racing a delete (" + deleteOutcome + ") reported success but"
                            + " wrote other bytes than backup " + backup + " holds\n" + restore.stderr());
                }
                restoreOutcome = "restored byte-identical";
            } else {
                if (world.ceph().imageExists(target)
                        && world.ceph().imageMeta(target, RestoreChecks.INCOMPLETE_MARK).isEmpty()
                        && !world.ceph().sha256(target).equals(VolumeContent.Digest.ofZeros(backup.size()))) {
                    throw new AssertionError("a restore that failed racing a delete left its target unmarked:\n"
                            + restore.stderr());
                }
                restoreOutcome = "restore failed: " + firstLine(restore.stderr());
            }
        }
        if (world.ceph().imageExists(target)) {
            world.ceph().removeImage(target);
        }
        return restoreOutcome + "; " + deleteOutcome;
    }

    private static String firstLine(String stderr) {
        return stderr.lines().filter(line -> line.startsWith("cairn:")).findFirst().orElse("");
    }

    /**
     * Starts {@code cairn serve}, waits until its start-up recovery has made the invariants of {@code scope}
     * hold (it recovers in the background), and stops it with SIGTERM, which must exit 0.
     */
    String serve(Scope scope) throws InterruptedException {
        try (ChildCairn serve = world.child("serve")) {
            long deadline = System.nanoTime() + SERVE_START_SECONDS * 1_000_000_000L;
            while (!serve.stderr().contains("cairn: serving ")) {
                if (!serve.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("cairn serve did not start serving within " + SERVE_START_SECONDS + " s"
                            + " (exit " + (serve.isAlive() ? "-" : serve.exitCode()) + "):\n" + serve.stderr());
                }
                Thread.sleep(100);
            }
            double serving = serve.elapsedSeconds();
            deadline = System.nanoTime() + RECOVERY_SECONDS * 1_000_000_000L;
            List<String> problems = invariants.problems(scope);
            while (!problems.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cairn serve had not recovered " + RECOVERY_SECONDS + " s after it started"
                            + " serving:\n  " + String.join("\n  ", problems) + "\nits log:\n" + serve.stderr());
                }
                Thread.sleep(500);
                problems = invariants.problems(scope);
            }
            double recovered = serve.elapsedSeconds();
            int exit = serve.terminate(60);
            if (exit != 0) {
                throw new AssertionError("cairn serve exited " + exit + " after SIGTERM:\n" + serve.stderr());
            }
            return String.format("serving after %.1f s, recovered after %.1f s, stopped", serving, recovered);
        }
    }
}
