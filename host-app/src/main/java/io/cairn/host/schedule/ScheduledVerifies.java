package io.cairn.host.schedule;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VerifyResult.Verdict;
import io.cairn.host.backup.VerifyOrchestrator;
import io.cairn.host.backup.VerifyOutcome;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.policy.VerifyPolicy;
import io.cairn.host.policy.VerifyRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schedule's {@code verify:} section at work, after a volume's backup and retention: the new backup
 * checked in part ({@code after_backup}), and every stored backup of the volume that is due verified in
 * full ({@code full_every}, {@link VerifyPolicy}). A backup a verify finds damaged is marked corrupt (the
 * next backup starts a new chain) and the firing's summary says so.
 */
public final class ScheduledVerifies {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledVerifies.class);

    private final VerifyOrchestrator verifier;
    private final BackupCatalog catalog;
    private final VerifyLog log;
    private final Clock clock;

    public ScheduledVerifies(VerifyOrchestrator verifier, BackupCatalog catalog, VerifyLog log, Clock clock) {
        this.verifier = verifier;
        this.catalog = catalog;
        this.log = log;
        this.clock = clock;
    }

    /** @return notes for the firing's summary: damage found, verifies that could not check */
    List<String> afterBackup(String schedule, VerifyRules rules, ConfiguredCluster cluster, VolumeRef volume,
            BackupRecord backup) {
        List<String> notes = new ArrayList<>();
        if (!rules.any() || cluster.backend() == null) {
            return notes;
        }
        if (rules.afterBackupPercent() > 0) {
            catalog.find(backup.id()).filter(record -> record.status().isStored()).ifPresent(record ->
                    verify(schedule, cluster, record, rules.compareSource(), rules.afterBackupPercent(), notes));
        }
        if (rules.fullEvery().isPresent()) {
            List<BackupRecord> history = catalog.history(cluster.name(), volume);
            Map<BackupId, java.time.Instant> lastComplete = log.lastComplete(cluster.name(), volume.locator());
            for (BackupId due : VerifyPolicy.fullVerifiesDue(BackupRecord.entries(history), lastComplete, clock.instant(),
                    rules)) {
                Optional<BackupRecord> record = catalog.find(due);
                record.ifPresent(r -> verify(schedule, cluster, r, false, 100, notes));
            }
        }
        return notes;
    }

    private void verify(String schedule, ConfiguredCluster cluster, BackupRecord backup, boolean source, double percent,
            List<String> notes) {
        try {
            VerifyOutcome outcome = verifier.verify(backup, cluster, source, percent, ProgressListener.NONE);
            Verdict verdict = outcome.verify().result();
            LOG.info("schedule {}: verify of backup {} ({}%): {}", schedule, backup.id(), percent, verdict.label());
            if (verdict == Verdict.CORRUPT) {
                notes.add("verify found backup " + backup.id() + " damaged (" + outcome.verify().damaged().size()
                        + " ranges, first: " + outcome.verify().damaged().get(0) + ")"
                        + outcome.change().map(change -> "; " + change).orElse(""));
            } else if (verdict == Verdict.UNVERIFIABLE) {
                notes.add("backup " + backup.id() + " cannot be verified: " + String.join("; ", outcome.verify().notes()));
            }
        } catch (RuntimeException e) {
            LOG.warn("schedule {}: verify of backup {} could not check it: {}", schedule, backup.id(), e.getMessage());
            notes.add("verify of backup " + backup.id() + " could not check it: " + e.getMessage());
        }
    }
}
