package io.cairn.host.model;

import io.cairn.host.testing.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cairn restore ID TARGET [--force]} of an available backup, into one of:
 *
 * <ul>
 *   <li>{@link Into#NEW} a new image: it must hold exactly the source snapshot's bytes;</li>
 *   <li>{@link Into#KEPT} a restore target kept from before, with {@code --force}: the backup's bytes and
 *       zeros up to the target's size (restore_discard_excess_bytes), or refused when it is smaller;</li>
 *   <li>{@link Into#SOURCE} the backed-up volume itself, with {@code --force} (a rollback): likewise; the
 *       model then takes the volume's bytes as restored;</li>
 *   <li>{@link Into#BASE} a base image the backup is stored in, with {@code --force}: always refused;</li>
 *   <li>{@link Into#KEPT_UNFORCED} a kept target holding data, without {@code --force}: refused.</li>
 * </ul>
 * A refused restore must leave the target as it was. A restore killed in flight leaves the target either
 * marked {@code cairn.restore.incomplete} or holding its old bytes, zeros (just created) or the backup's;
 * {@link #redo} restores it again, which must clear the mark.
 */
final class RestoreOp implements Operation {

    enum Into { NEW, KEPT, SOURCE, BASE, KEPT_UNFORCED }

    private final ModelWorld world;
    private final Model model;
    private final ModelBackup backup;
    private final Into into;
    private final String target;
    private final boolean keepAfter;
    /** What the target held before (KEPT, SOURCE), or null for a new target. */
    private final Model.Target before;

    private RestoreOp(ModelWorld world, Model model, ModelBackup backup, Into into, String target, boolean keepAfter,
            Model.Target before) {
        this.world = world;
        this.model = model;
        this.backup = backup;
        this.into = into;
        this.target = target;
        this.keepAfter = keepAfter;
        this.before = before;
    }

    /** Into a new image; kept afterwards (to restore over later) when {@code keepAfter}. */
    static RestoreOp intoNew(ModelWorld world, Model model, ModelBackup backup, String target, boolean keepAfter) {
        return new RestoreOp(world, model, backup, Into.NEW, target, keepAfter, null);
    }

    /** Over a kept restore target, with or without {@code --force}. */
    static RestoreOp overKept(ModelWorld world, Model model, ModelBackup backup, String target, boolean force) {
        return new RestoreOp(world, model, backup, force ? Into.KEPT : Into.KEPT_UNFORCED, target, true,
                model.targets().get(target));
    }

    /** Over the backed-up volume itself, with {@code --force}. */
    static RestoreOp overSource(ModelWorld world, Model model, ModelBackup backup) {
        VolumeContent content = model.content(backup.volume());
        return new RestoreOp(world, model, backup, Into.SOURCE, backup.volume(), false,
                new Model.Target(content.digest().hex(), content.size()));
    }

    /** Into the base image {@code base} (POOL/IMAGE) that holds it, with {@code --force}. */
    static RestoreOp intoBase(ModelWorld world, Model model, ModelBackup backup, String base) {
        return new RestoreOp(world, model, backup, Into.BASE, base, false, null);
    }

    /** Whether this restore may be killed in flight (refused ones write nothing to kill). */
    boolean killable() {
        return (into == Into.NEW || into == Into.KEPT || into == Into.SOURCE) && !tooSmall();
    }

    private boolean tooSmall() {
        return before != null && before.size() < backup.size();
    }

    @Override
    public String kind() {
        return "restore";
    }

    @Override
    public String describe() {
        return "restore " + backup.shortId() + " (" + backup.volume() + " on " + backup.cluster() + ") into "
                + into.name().toLowerCase() + " " + target + (force() ? " --force" : "");
    }

    private boolean force() {
        return into != Into.NEW && into != Into.KEPT_UNFORCED;
    }

    @Override
    public String[] args() {
        List<String> args = new ArrayList<>(List.of("restore", backup.id(), target, "--json", "-q"));
        if (force()) {
            args.add("--force");
        }
        return args.toArray(String[]::new);
    }

    @Override
    public String expect(CliRun run) {
        boolean refused = into == Into.BASE || into == Into.KEPT_UNFORCED || tooSmall();
        if (refused) {
            if (run.exitCode() != 1) {
                throw new AssertionError(describe() + " should be refused (exit 1) but exited " + run.exitCode() + ": "
                        + run);
            }
            if (before != null) {
                String sha = world.ceph().sha256(target);
                if (!sha.equals(before.sha256())) {
                    throw new AssertionError("refused " + describe() + " changed the target: " + run);
                }
            }
            return "refused: " + run.err().strip().lines().findFirst().orElse("");
        }
        if (run.exitCode() != 0) {
            throw new AssertionError(describe() + " failed: " + run);
        }
        finished();
        return "byte-identical";
    }

    /** Checks a restore that finished, and brings the model up to date. */
    private void finished() {
        long size = before == null ? backup.size() : before.size();
        String expected = backup.content().padded(size);
        String sha = world.ceph().sha256(target);
        if (!sha.equals(expected)) {
            throw new AssertionError(describe() + " wrote other bytes than backup " + backup + " holds: sha256 " + sha
                    + ", expected " + expected);
        }
        Optional<String> mark = world.ceph().imageMeta(target, RestoreChecks.INCOMPLETE_MARK);
        if (mark.isPresent()) {
            throw new AssertionError(describe() + " finished but left " + RestoreChecks.INCOMPLETE_MARK + "=" + mark.get());
        }
        if (into == Into.SOURCE) {
            model.replaceContent(target, new VolumeContent(world.ceph().read(target, scratch())));
        } else if (keepAfter) {
            model.targets().put(target, new Model.Target(sha, size));
        } else {
            world.ceph().removeImage(target);
            model.targets().remove(target);
        }
    }

    @Override
    public String killed() {
        return "target " + (world.ceph().imageExists(target) ? "exists" : "not created");
    }

    /**
     * After a kill: the target is marked as an unfinished restore, or holds what it held before, zeros (it
     * was just created) or the backup's bytes. Then the restore is done again (with {@code --force}, the
     * target may hold data now), which must finish byte-identical and clear the mark.
     */
    String redo() {
        String state = "target not created";
        if (world.ceph().imageExists(target)) {
            Optional<String> mark = world.ceph().imageMeta(target, RestoreChecks.INCOMPLETE_MARK);
            long size = world.ceph().size(target);
            if (mark.isPresent()) {
                if (!mark.get().equals(backup.id())) {
                    throw new AssertionError("killed " + describe() + " marked the target as a restore of " + mark.get());
                }
                state = "target marked incomplete";
            } else {
                String sha = world.ceph().sha256(target);
                Set<String> allowed = new TreeSet<>();
                if (size >= backup.size()) {
                    allowed.add(backup.content().padded(size));
                }
                if (before != null) {
                    allowed.add(before.sha256());
                } else {
                    allowed.add(VolumeContent.Digest.ofZeros(size));
                }
                if (!allowed.contains(sha)) {
                    throw new AssertionError("killed " + describe() + " left the target unmarked holding bytes that are"
                            + " neither its old ones, zeros nor the backup's (sha256 " + sha + ")");
                }
                state = "target unmarked, " + (sha.equals(backup.content().padded(Math.max(size, backup.size())))
                        ? "restored" : "untouched");
            }
        }
        boolean exists = world.ceph().imageExists(target);
        List<String> args = new ArrayList<>(List.of("restore", backup.id(), target, "--json", "-q"));
        if (exists) {
            args.add("--force");
        }
        CliRun run = world.cairn(args.toArray(String[]::new));
        if (!exists && run.exitCode() == 1 && run.err().contains("its name is taken, but no image of that name can be"
                + " opened") && run.err().contains("'rbd rm " + target + "'")) {
            // Killed inside rbd_create: the name is held by an image without a header, which Cairn names but does not
            // remove (it did not record making it). The operator does as the error says.
            world.ceph().removeRemains(target);
            state = "the target's creation was cut short, its remains named; removed as the error says";
            run = world.cairn(args.toArray(String[]::new));
        }
        if (run.exitCode() != 0) {
            throw new AssertionError("restoring again after a killed " + describe() + " (" + state + ") failed: " + run);
        }
        finished();
        return state + "; restored again, byte-identical";
    }

    @Override
    public Scope scope() {
        Scope scope = Scope.nothing().sourcePool();
        if (into == Into.BASE) {
            scope.cluster(backup.cluster());
        }
        return scope;
    }

    private Path scratch() {
        return world.dir().resolve("scratch.img");
    }
}
