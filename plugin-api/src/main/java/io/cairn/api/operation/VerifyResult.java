package io.cairn.api.operation;

import java.util.List;
import java.util.Objects;

/**
 * What a verify found.
 *
 * @param verdict        intact, corrupt, or nothing to compare with
 * @param sizeBytes      the size of the restore point (the volume at the backup's snapshot)
 * @param bytesChecked   bytes of the restore point compared (read, or known to be a hole); all of
 *                       {@code sizeBytes} for a full verify that got through
 * @param bytesRead      bytes read to check them, from backup storage and (when compared) the source:
 *                       what a verify costs, as holes that storage knows of need no reading
 * @param sourceCompared whether the source snapshot was compared too (asked for and still there)
 * @param damaged        every damaged byte range, in offset order; empty unless {@code CORRUPT}
 * @param notes          what the operator should know that is not damage (the source snapshot is gone,
 *                       so it was not compared; why a backup is unverifiable)
 * @since plugin API 1.1
 */
public record VerifyResult(Verdict verdict, long sizeBytes, long bytesChecked, long bytesRead, boolean sourceCompared,
        List<DamagedRange> damaged, List<String> notes) {

    public VerifyResult {
        Objects.requireNonNull(verdict, "verdict is null");
        damaged = List.copyOf(Objects.requireNonNull(damaged, "damaged is null"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
        if (sizeBytes < 0 || bytesChecked < 0 || bytesChecked > sizeBytes || bytesRead < 0) {
            throw new IllegalArgumentException("checked " + bytesChecked + " of " + sizeBytes + " bytes, read " + bytesRead);
        }
        if ((verdict == Verdict.CORRUPT) == damaged.isEmpty()) {
            throw new IllegalArgumentException("a verify is CORRUPT exactly when it names damaged ranges: " + verdict
                    + " with " + damaged.size() + " ranges");
        }
    }

    /** Whether every byte was checked. */
    public boolean complete() {
        return bytesChecked == sizeBytes;
    }

    /** The outcome of a verify. */
    public enum Verdict {
        /** Every byte checked matched what was recorded when the backup was written. */
        INTACT,
        /** Some byte ranges differ from what was recorded, could not be read, or are gone. */
        CORRUPT,
        /** Nothing was recorded to compare with (a backup stored before the backend recorded digests). */
        UNVERIFIABLE;

        /** Lowercase, as shown to operators and in JSON. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A byte range of the restore point that is not what was backed up.
     *
     * @param offset  where it starts, in bytes from the start of the volume
     * @param length  how long it is
     * @param problem what is wrong, for the operator ({@code "differs from the digest recorded at backup
     *                time"}, {@code "cannot be read: EIO"}, {@code "source snapshot differs"})
     */
    public record DamagedRange(long offset, long length, String problem) {

        public DamagedRange {
            Objects.requireNonNull(problem, "problem is null");
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException("bad range " + offset + "+" + length);
            }
        }

        public long end() {
            return offset + length;
        }

        @Override
        public String toString() {
            return "bytes " + offset + "-" + (end() - 1) + ": " + problem;
        }
    }
}
