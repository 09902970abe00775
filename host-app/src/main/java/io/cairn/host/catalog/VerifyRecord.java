package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One verify of one backup, as the catalog keeps it.
 *
 * @param id             the verify's own id
 * @param backupId       the backup verified
 * @param startedAt      when it started
 * @param finishedAt     when it ended
 * @param result         intact, corrupt, or unverifiable
 * @param samplePercent  how much was asked for; 100 for a full verify
 * @param complete       whether every byte of the restore point was checked
 * @param sourceCompared whether the source snapshot was compared too
 * @param sizeBytes      the restore point's size
 * @param checkedBytes   bytes checked
 * @param readBytes      bytes read to check them
 * @param damaged        the damaged ranges (only those of the first {@value #MAXIMUM_RANGES} are kept)
 * @param notes          the backend's notes
 * @param host           who ran it ({@code host/pid})
 */
public record VerifyRecord(String id, BackupId backupId, Instant startedAt, Instant finishedAt,
        VerifyResult.Verdict result, double samplePercent, boolean complete, boolean sourceCompared, long sizeBytes,
        long checkedBytes, long readBytes, List<DamagedRange> damaged, List<String> notes, String host) {

    /** A verify that finds a volume damaged from end to end may name very many ranges; these many are kept. */
    public static final int MAXIMUM_RANGES = 1000;

    public VerifyRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(finishedAt, "finishedAt is null");
        Objects.requireNonNull(result, "result is null");
        damaged = List.copyOf(damaged.size() > MAXIMUM_RANGES ? damaged.subList(0, MAXIMUM_RANGES) : damaged);
        notes = List.copyOf(notes);
        Objects.requireNonNull(host, "host is null");
    }

    /** The record of a finished verify. */
    public static VerifyRecord of(BackupId backupId, VerifyResult result, double samplePercent, Instant started,
            Instant finished, String host) {
        return new VerifyRecord(java.util.UUID.randomUUID().toString(), backupId, started, finished, result.verdict(),
                samplePercent, result.complete(), result.sourceCompared(), result.sizeBytes(), result.bytesChecked(),
                result.bytesRead(), result.damaged(), result.notes(), host);
    }
}
