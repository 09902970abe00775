package io.cairn.host.cli;

import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.host.backup.VerifyOutcome;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.VerifyRecord;
import java.time.Instant;
import java.util.List;

/**
 * One backup's verify as {@code cairn verify --json} prints it.
 *
 * @param backup         the backup's id
 * @param cluster        its cluster
 * @param volume         its volume
 * @param result         {@code intact}, {@code corrupt}, {@code unverifiable}, or {@code failed} (nothing was checked:
 *                       see {@code error})
 * @param status         the backup's status afterwards ({@code corrupt} once damage was found)
 * @param complete       whether every byte was checked
 * @param samplePercent  the share asked for
 * @param sourceCompared whether the source snapshot was compared too
 * @param sizeBytes      the restore point's size
 * @param checkedBytes   bytes checked
 * @param readBytes      bytes read to check them
 * @param seconds        how long the backend's verify took
 * @param verifiedAt     when it ended
 * @param damaged        the damaged byte ranges
 * @param notes          the backend's notes
 * @param change         what happened to the backup's status, or null
 * @param error          why nothing could be checked, or null
 */
record VerifyView(String backup, String cluster, String volume, String result, String status, boolean complete,
        double samplePercent, boolean sourceCompared, long sizeBytes, long checkedBytes, long readBytes, double seconds,
        Instant verifiedAt, List<Range> damaged, List<String> notes, String change, String error) {

    /** A damaged range: bytes {@code offset} to {@code offset + length - 1}. */
    record Range(long offset, long length, String problem) {
        static Range of(DamagedRange range) {
            return new Range(range.offset(), range.length(), range.problem());
        }
    }

    static VerifyView of(VerifyOutcome outcome) {
        VerifyRecord verify = outcome.verify();
        BackupRecord record = outcome.record();
        return new VerifyView(record.id().value(), record.cluster(), record.volume().locator(), verify.result().label(),
                record.status().label(), verify.complete(), verify.samplePercent(), verify.sourceCompared(),
                verify.sizeBytes(), verify.checkedBytes(), verify.readBytes(), outcome.took().toNanos() / 1e9,
                verify.finishedAt(), verify.damaged().stream().map(Range::of).toList(), verify.notes(),
                outcome.change().orElse(null), null);
    }

    static VerifyView failed(BackupRecord record, String error) {
        return new VerifyView(record.id().value(), record.cluster(), record.volume().locator(), "failed",
                record.status().label(), false, 0, false, record.volumeSizeBytes(), 0, 0, 0, null, List.of(), List.of(),
                null, error);
    }
}
