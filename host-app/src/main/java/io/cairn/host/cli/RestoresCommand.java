package io.cairn.host.cli;

import io.cairn.api.option.ByteSize;
import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.RestoreRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn restores}: the restores the catalog recorded, newest last. */
@Command(mixinStandardHelpOptions = true, name = "restores", description = {
    "List the restores the catalog recorded, oldest first: backup, target, status (running, finished,",
    "failed, interrupted), times. A restore whose process died shows as running until the next restore,",
    "delete or serve start marks it interrupted; its target stays marked incomplete until restored again."})
final class RestoresCommand extends CatalogCommand {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most the newest N (default 50).")
    private int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    private boolean json;

    @Override
    int run(Catalog catalog) {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1, not " + limit);
        }
        List<RestoreRecord> restores = catalog.restores().newest(limit);
        if (json) {
            out().println(JsonOutput.write(restores.stream()
                    .map(r -> RestoresView.of(r, catalog.restores().isLive(r))).toList()));
            return ErrorReport.OK;
        }
        if (restores.isEmpty()) {
            out().println("no restores");
            return ErrorReport.OK;
        }
        BackupText text = new BackupText(ZoneId.systemDefault());
        TextTable table = new TextTable("RESTORE", "BACKUP", "TARGET", "STATUS", "STARTED", "WRITTEN");
        for (RestoreRecord restore : restores) {
            String status = restore.status().label();
            if (restore.status() == RestoreRecord.Status.RUNNING && !catalog.restores().isLive(restore)) {
                status += " (process gone)";
            }
            table.row(restore.id(), restore.backup().value(), restore.target().locator(), status,
                    text.time(restore.startedAt()), ByteSize.human(restore.bytesWritten()));
        }
        out().print(table.render());
        return ErrorReport.OK;
    }

    /**
     * One restore as {@code restores --json} prints it.
     *
     * @param id           the restore's id
     * @param backup       the backup restored
     * @param cluster      its cluster
     * @param target       where it was restored to
     * @param status       {@code running}, {@code finished}, {@code failed}, {@code interrupted}
     * @param holder       the process that ran it
     * @param live         whether it runs now (running, with its process alive)
     * @param startedAt    when it started
     * @param finishedAt   when it ended, or null
     * @param bytesWritten bytes written to the target
     * @param error        why it failed or was interrupted, or null
     */
    record RestoresView(String id, String backup, String cluster, String target, String status, String holder,
            boolean live, Instant startedAt, Instant finishedAt, long bytesWritten, String error) {
        static RestoresView of(RestoreRecord r, boolean live) {
            return new RestoresView(r.id(), r.backup().value(), r.cluster(), r.target().locator(), r.status().label(),
                    r.holder(), live, r.startedAt(), r.finishedAt().orElse(null), r.bytesWritten(),
                    r.errorReason().orElse(null));
        }
    }
}
