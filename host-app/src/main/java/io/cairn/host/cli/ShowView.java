package io.cairn.host.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.cairn.host.catalog.Expiry;
import io.cairn.host.catalog.ImportedBackup;
import io.cairn.host.catalog.VerifyRecord;
import io.cairn.host.view.BackupView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code cairn show --json}: the backup as every {@code --json} prints it, and what only {@code show}
 * adds - its last verify (and the last that found damage), its grace period, and whether catalog rebuild
 * imported it.
 *
 * @param backup      the backup's fields, at the top level
 * @param lastVerify  its newest verify, or null
 * @param lastDamage  its newest verify that found damage, or null
 * @param expiry      while it is expiring: until when, since when, by whom; else null
 * @param imported    when catalog rebuild recorded it, and who wrote it; else null
 */
record ShowView(@JsonUnwrapped BackupView backup, VerifySummary lastVerify, VerifySummary lastDamage, ExpiryView expiry,
        ImportView imported) {

    /** A verify in short. */
    record VerifySummary(Instant verifiedAt, String result, boolean complete, double samplePercent,
            boolean sourceCompared, long checkedBytes, List<VerifyView.Range> damaged, List<String> notes) {
        static VerifySummary of(VerifyRecord verify) {
            return new VerifySummary(verify.finishedAt(), verify.result().label(), verify.complete(),
                    verify.samplePercent(), verify.sourceCompared(), verify.checkedBytes(),
                    verify.damaged().stream().map(VerifyView.Range::of).toList(), verify.notes());
        }
    }

    /** A grace period. */
    record ExpiryView(Instant expiresAt, Instant deletedAt, String deletedBy, String statusBefore) {
    }

    /** An import by catalog rebuild. */
    record ImportView(Instant importedAt, String origin, Instant adoptedAt, List<String> notes) {
    }

    static ShowView of(BackupView backup, Optional<VerifyRecord> last, Optional<VerifyRecord> damage,
            Optional<Expiry> expiry, Optional<ImportedBackup> imported) {
        return new ShowView(backup, last.map(VerifySummary::of).orElse(null),
                damage.filter(d -> last.map(l -> !l.id().equals(d.id())).orElse(true)).map(VerifySummary::of).orElse(null),
                expiry.map(e -> new ExpiryView(e.expiresAt(), e.deletedAt(), e.deletedBy(), e.statusBefore().label()))
                        .orElse(null),
                imported.map(i -> new ImportView(i.importedAt(), i.origin(), i.adoptedAt().orElse(null), i.notes()))
                        .orElse(null));
    }
}
