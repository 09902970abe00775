package io.cairn.host.model;

import io.cairn.host.testing.CliRun;

/** Restores a backup into a new image only to compare it with its source snapshot, then removes the image. */
final class RestoreChecks {

    /** The image metadata key a restore sets on its target until it finishes. */
    static final String INCOMPLETE_MARK = "cairn.restore.incomplete";

    private final ModelWorld world;
    private int checks;

    RestoreChecks(ModelWorld world) {
        this.world = world;
    }

    /** @return null when the restore is byte-identical, else what is wrong */
    String restoreAndCompare(ModelBackup backup) {
        String target = world.sourcePool() + "/check" + (++checks);
        CliRun run = world.cairn("restore", backup.id(), target, "--json", "-q");
        if (run.exitCode() != 0) {
            return backup + ": restore failed: " + run.err().strip();
        }
        try {
            String sha = world.ceph().sha256(target);
            return sha.equals(backup.content().hex()) ? null
                    : backup + ": restored sha256 " + sha + ", source snapshot's " + backup.content().hex();
        } finally {
            world.ceph().removeImage(target);
        }
    }
}
