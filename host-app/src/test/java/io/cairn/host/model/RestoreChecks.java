package io.cairn.host.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.host.testing.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
                    : backup + ": restored sha256 " + sha + ", source snapshot's " + backup.content().hex()
                            + "; " + diagnose(backup, target);
        } finally {
            world.ceph().removeImage(target);
        }
    }

    /**
     * Where a restore that is not byte-identical went wrong: whether the restore point it was read from already
     * differs (the backup stored the wrong bytes) or only the restore does, and which 64 KiB pieces differ from
     * the source snapshot while it is still on the volume.
     */
    private String diagnose(ModelBackup backup, String restored) {
        try {
            List<String> found = new ArrayList<>();
            JsonNode record = ModelWorld.parse(world.cairn("show", backup.id(), "--json").out());
            String restorePoint = null;
            for (JsonNode resource : record.path("resources")) {
                if ("base-snapshot".equals(resource.path("kind").asText())) {
                    restorePoint = resource.path("name").asText();
                }
            }
            Path scratch = world.dir().resolve("diagnosis.img");
            byte[] restoredBytes = world.ceph().read(restored, scratch);
            if (restorePoint != null) {
                byte[] stored = world.ceph().read(restorePoint, scratch);
                found.add("its restore point " + restorePoint + (Arrays.equals(stored, restoredBytes)
                        ? " holds the same bytes as the restore (the backup stored them)"
                        : " holds other bytes than the restore: " + differences(stored, restoredBytes)));
            }
            String snapshot = backup.volume() + "@" + backup.snapshot();
            if (backup.snapshot() != null && world.ceph().snapshots(backup.volume()).stream()
                    .anyMatch(present -> present.name().equals(backup.snapshot()))) {
                found.add("the restore differs from " + snapshot + " in "
                        + differences(world.ceph().read(snapshot, scratch), restoredBytes));
            }
            return found.isEmpty() ? "nothing more to compare" : String.join("; ", found);
        } catch (RuntimeException e) {
            return "diagnosis failed: " + e;
        }
    }

    /** The 64 KiB pieces in which two images differ, merged into ranges: where, and which side reads zeros. */
    private static String differences(byte[] expected, byte[] actual) {
        int piece = 64 * 1024;
        List<String> ranges = new ArrayList<>();
        int count = 0;
        long start = -1;
        int length = Math.max(expected.length, actual.length);
        for (int at = 0; at < length + piece; at += piece) {
            boolean differs = at < length && !Arrays.equals(slice(expected, at, piece), slice(actual, at, piece));
            if (differs && start < 0) {
                start = at;
            } else if (!differs && start >= 0) {
                count++;
                if (ranges.size() < 8) {
                    ranges.add(start + "+" + (at - start) + (allZero(slice(actual, (int) start, (int) (at - start)))
                            ? " (restore reads zeros)" : "") + (allZero(slice(expected, (int) start, (int) (at - start)))
                            ? " (expected zeros)" : ""));
                }
                start = -1;
            }
        }
        return count == 0 ? "no 64 KiB piece (sizes " + expected.length + " and " + actual.length + ")"
                : count + " ranges " + ranges + (count > ranges.size() ? " ..." : "") + " (sizes " + expected.length
                        + " and " + actual.length + ")";
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        return Arrays.copyOfRange(bytes, Math.min(from, bytes.length), Math.min(from + length, bytes.length));
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
