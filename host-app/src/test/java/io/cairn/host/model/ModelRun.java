package io.cairn.host.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One run of the model: {@code steps} steps drawn with {@code java.util.Random(seed)} from writes,
 * resizes, backups through two cluster files, restores, deletes, prunes, foreign objects, operators
 * removing Cairn's snapshots, kills of operations in flight followed by recovery, and {@code serve}
 * start-ups; the invariants after every step (what it may have changed), all of them and a restore of
 * every available backup every {@code thoroughEvery} steps and at the end.
 */
final class ModelRun {

    private static final int VOLUMES = 3;

    private final ModelWorld world;
    private final Random random;
    private final int steps;
    private final int thoroughEvery;
    private final int killPercent;
    private final StepLog log = new StepLog();
    private final Model model = new Model();
    private final Invariants invariants;
    private final RestoreChecks restoreChecks;
    private final VolumeSteps volumes;
    private final CrashSteps crashes;
    private int targets;

    ModelRun(ModelWorld world, long seed, int steps, int thoroughEvery, int killPercent) {
        this.world = world;
        this.random = new Random(seed);
        this.steps = steps;
        this.thoroughEvery = thoroughEvery;
        this.killPercent = killPercent;
        this.invariants = new Invariants(world, model);
        this.restoreChecks = new RestoreChecks(world);
        this.volumes = new VolumeSteps(world, model, random);
        this.crashes = new CrashSteps(world, invariants, random);
    }

    StepLog log() {
        return log;
    }

    void run() throws InterruptedException {
        log.begin(0, "setup", "create " + VOLUMES + " volumes, foreign snapshots and images");
        for (int i = 0; i < VOLUMES; i++) {
            String volume = world.sourcePool() + "/v" + i;
            volumes.create(volume, (1 + random.nextInt(16)) * (1L << 20));
            log.note(volume + " " + model.content(volume).size() + " bytes");
        }
        log.note(volumes.foreignSnapshot(pick(model.volumes())));
        for (String cluster : ModelWorld.CLUSTERS) {
            log.note(volumes.foreignStorage(cluster, pick(model.volumes())));
        }
        log.end();
        for (int step = 1; step <= steps; step++) {
            step(step);
            if (step % thoroughEvery == 0 && step < steps) {
                thorough(step);
            }
        }
        thorough(steps + 1);
    }

    /**
     * Draws and runs one step. Out of 100: {@code killPercent} kills in flight (default 10), and of the
     * rest in proportion: 30 writes, 5 resizes, 22 backups, 12 restores, 8 deletes, 5 prunes, 4 foreign
     * objects, 2 operators taking a held snapshot away, 2 serve start-ups, 3 restores racing a delete of
     * their backup.
     */
    private void step(int number) throws InterruptedException {
        if (random.nextInt(100) < killPercent) {
            kill(number);
            return;
        }
        int draw = random.nextInt(93);
        if (draw < 30) {
            String volume = pick(model.volumes());
            log.begin(number, "write", "write " + volume);
            log.note(volumes.write(volume, 4));
            log.end();
        } else if (draw < 35) {
            String volume = pick(model.volumes());
            log.begin(number, "resize", "resize " + volume);
            log.note(volumes.resize(volume));
            log.end();
        } else if (draw < 57) {
            run(number, backup());
        } else if (draw < 69) {
            Optional<RestoreOp> restore = restore();
            if (restore.isPresent()) {
                run(number, restore.get());
            } else {
                run(number, backup());
            }
        } else if (draw < 77) {
            Optional<DeleteOp> delete = delete();
            if (delete.isPresent()) {
                run(number, delete.get());
            } else {
                run(number, backup());
            }
        } else if (draw < 82) {
            run(number, new PruneOp(world, model, pick(List.copyOf(ModelWorld.SCHEDULES.keySet()))));
        } else if (draw < 86) {
            foreign(number);
        } else if (draw < 88) {
            takeAway(number);
        } else if (draw < 90) {
            log.begin(number, "serve", "cairn serve (start-up recovery with nothing to recover)");
            log.note(crashes.serve(Scope.everything(model.volumes())));
            invariants.check(Scope.everything(model.volumes()));
            log.end();
        } else {
            race(number);
        }
    }

    /** A restore and a delete of the same backup at once (issue 9, finding 7). */
    private void race(int number) throws InterruptedException {
        List<ModelBackup> available = model.available();
        if (available.isEmpty()) {
            run(number, backup());
            return;
        }
        ModelBackup backup = pick(available);
        String target = world.sourcePool() + "/r" + (++targets);
        log.begin(number, "race", "restore " + backup + " into new " + target + " while deleting it");
        log.note(crashes.raceRestoreAndDelete(model, backup, target));
        invariants.check(Scope.everything(model.volumes()));
        log.end();
    }

    /** Runs an operation in this JVM and checks it and what it may have changed. */
    private void run(int number, Operation operation) {
        log.begin(number, operation.kind(), operation.describe());
        log.note(operation.expect(world.cairn(operation.args())));
        invariants.check(operation.scope());
        log.end();
    }

    private BackupOp backup() {
        return new BackupOp(world, model, pick(ModelWorld.CLUSTERS), pick(model.volumes()), random.nextInt(8) == 0);
    }

    /** A restore of a random available backup into one of the targets {@link RestoreOp} knows, if any is available. */
    private Optional<RestoreOp> restore() {
        List<ModelBackup> available = model.available();
        if (available.isEmpty()) {
            return Optional.empty();
        }
        ModelBackup backup = pick(available);
        int draw = random.nextInt(20);
        List<String> kept = List.copyOf(model.targets().keySet());
        if (draw < 3 && !kept.isEmpty()) {
            return Optional.of(RestoreOp.overKept(world, model, backup, pick(kept), true));
        }
        if (draw < 4 && !kept.isEmpty() && !model.targets().get(kept.get(0)).allZeros()) {
            return Optional.of(RestoreOp.overKept(world, model, backup, kept.get(0), false));
        }
        if (draw < 6) {
            return Optional.of(RestoreOp.overSource(world, model, backup));
        }
        if (draw < 7 && backup.base() != null) {
            return Optional.of(RestoreOp.intoBase(world, model, backup,
                    world.backupPool(backup.cluster()) + "/" + backup.base()));
        }
        boolean keep = model.targets().size() < 2 && random.nextInt(3) == 0;
        return Optional.of(RestoreOp.intoNew(world, model, backup, world.sourcePool() + "/r" + (++targets), keep));
    }

    /** A delete of a random available backup, or (one time in five) of one that failed or is deleted already. */
    private Optional<DeleteOp> delete() {
        List<ModelBackup> candidates = random.nextInt(5) == 0 ? model.backups().stream()
                .filter(b -> !b.available()).toList() : model.available();
        return candidates.isEmpty() ? Optional.empty() : Optional.of(new DeleteOp(world, model, pick(candidates)));
    }

    /** A backup, restore, delete or prune killed in flight, then recovery. */
    private void kill(int number) throws InterruptedException {
        Operation operation = switch (random.nextInt(7)) {
            case 0, 1, 2 -> backup();
            case 3, 4 -> restore().filter(RestoreOp::killable).map(Operation.class::cast).orElseGet(this::backup);
            case 5 -> delete().filter(d -> d.backup().available()).map(Operation.class::cast).orElseGet(this::backup);
            default -> new PruneOp(world, model, pick(List.copyOf(ModelWorld.SCHEDULES.keySet())));
        };
        log.begin(number, "kill-" + operation.kind(), "kill " + operation.describe());
        boolean killed = crashes.runAndKill(operation, log);
        if (killed) {
            recover(operation);
        }
        invariants.check(operation instanceof RestoreOp ? operation.scope() : everything());
        log.end();
    }

    /**
     * After a kill, recovery: {@code serve}'s start-up recovery, or the next operation on what was killed -
     * the same backup again, the same delete or prune again, a backup of the deleted backup's volume, the
     * same restore again (a killed restore is always redone: its target holds a mix of old and new data).
     */
    private void recover(Operation killed) throws InterruptedException {
        int draw = random.nextInt(10);
        if (killed instanceof RestoreOp restore) {
            if (draw < 5) {
                log.note("recovery: " + crashes.serve(everythingButTargets()));
            }
            log.note("recovery: " + restore.redo());
        } else if (draw < 4) {
            log.note("recovery: " + crashes.serve(everything()));
        } else if (killed instanceof BackupOp backup) {
            BackupOp next = backup.repeat();
            log.note("recovery: " + next.describe() + ": " + next.expect(world.cairn(next.args())));
        } else if (killed instanceof DeleteOp delete && draw < 7) {
            BackupOp next = new BackupOp(world, model, delete.backup().cluster(), delete.backup().volume(), false);
            log.note("recovery: " + next.describe() + ": " + next.expect(world.cairn(next.args())));
        } else {
            log.note("recovery: " + killed.describe() + " again: " + killed.expect(world.cairn(killed.args())));
        }
    }

    private void foreign(int number) {
        log.begin(number, "foreign", "foreign objects");
        String volume = pick(model.volumes());
        log.note(random.nextBoolean() ? volumes.foreignSnapshot(volume)
                : volumes.foreignStorage(pick(ModelWorld.CLUSTERS), volume));
        invariants.check(everything());
        log.end();
    }

    private void takeAway(int number) {
        List<ModelBackup> held = new ArrayList<>();
        for (String cluster : ModelWorld.CLUSTERS) {
            model.volumes().forEach(v -> model.held(cluster, v).ifPresent(held::add));
        }
        if (held.isEmpty()) {
            run(number, backup());
            return;
        }
        ModelBackup backup = pick(held);
        log.begin(number, "take-away", "an operator takes away the held snapshot of " + backup);
        log.note(volumes.takeAwayHeldSnapshot(backup));
        log.end();
    }

    /** All invariants, and every available backup restored and compared. */
    private void thorough(int number) {
        log.begin(number, "thorough", "check everything; restore all " + model.available().size()
                + " available backups");
        invariants.check(everything());
        invariants.restoresAll(restoreChecks);
        log.end();
    }

    private Scope everything() {
        return Scope.everything(model.volumes());
    }

    /** Everything but restore targets (a killed restore's target stays marked until it is restored again). */
    private Scope everythingButTargets() {
        Scope scope = Scope.nothing().deep();
        model.volumes().forEach(scope::volume);
        ModelWorld.CLUSTERS.forEach(scope::cluster);
        return scope;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
