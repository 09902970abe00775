package io.cairn.host.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The firings of schedules, in table {@code schedule_runs} of the catalog database: a row is written
 * when a firing starts and completed when it ends, so a firing cut short by a crash stays visible as
 * {@code running} from a process that is gone.
 */
public final class ScheduleRunLog {

    private final CatalogDatabase database;

    public ScheduleRunLog(CatalogDatabase database) {
        this.database = database;
    }

    /** Records a firing (started or finished); an existing row with the same id is replaced. */
    public void save(ScheduleRun run) {
        database.run("record a run of schedule " + run.schedule(), connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE schedule_runs SET finished_at = ?,"
                    + " status = ?, summary = ? WHERE id = ?")) {
                bindFinish(update, run);
                update.setString(4, run.id());
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schedule_runs"
                    + " (id, schedule, host, fired_at, finished_at, status, summary) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, run.id());
                insert.setString(2, run.schedule());
                insert.setString(3, run.host());
                insert.setObject(4, BackupCatalog.utc(run.firedAt()));
                if (run.finishedAt().isPresent()) {
                    insert.setObject(5, BackupCatalog.utc(run.finishedAt().get()));
                } else {
                    insert.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
                }
                insert.setString(6, run.status().label());
                insert.setString(7, truncate(run.summary()));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The newest firing of a schedule, if it ever fired. */
    public Optional<ScheduleRun> last(String schedule) {
        return database.run("read the last run of schedule " + schedule, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, fired_at,"
                    + " finished_at, status, summary FROM schedule_runs WHERE schedule = ? ORDER BY fired_at DESC, id"
                    + " FETCH FIRST 1 ROWS ONLY")) {
                statement.setString(1, schedule);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The newest firings, newest first: of one schedule, or of all.
     *
     * @param schedule only this schedule's, when given
     * @param limit    at most this many
     */
    public List<ScheduleRun> recent(Optional<String> schedule, int limit) {
        String where = schedule.isPresent() ? " WHERE schedule = ?" : "";
        return database.run("read the recent schedule runs", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, fired_at,"
                    + " finished_at, status, summary FROM schedule_runs" + where + " ORDER BY fired_at DESC, id"
                    + " FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY")) {
                if (schedule.isPresent()) {
                    statement.setString(1, schedule.get());
                }
                List<ScheduleRun> runs = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        runs.add(read(rows));
                    }
                }
                return runs;
            }
        });
    }

    private static void bindFinish(PreparedStatement statement, ScheduleRun run) throws SQLException {
        if (run.finishedAt().isPresent()) {
            statement.setObject(1, BackupCatalog.utc(run.finishedAt().get()));
        } else {
            statement.setNull(1, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        statement.setString(2, run.status().label());
        statement.setString(3, truncate(run.summary()));
    }

    private static ScheduleRun read(ResultSet row) throws SQLException {
        OffsetDateTime finished = row.getObject("finished_at", OffsetDateTime.class);
        return new ScheduleRun(row.getString("id"), row.getString("schedule"), row.getString("host"),
                row.getObject("fired_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(finished).map(OffsetDateTime::toInstant),
                ScheduleRun.Status.fromLabel(row.getString("status")), row.getString("summary"));
    }

    private static String truncate(String summary) {
        return summary.length() <= 4000 ? summary : summary.substring(0, 3997) + "...";
    }
}
