package io.cairn.host.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
                    + " (id, schedule, host, fired_at, finished_at, status, summary, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindInsert(insert, run);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Records a firing as it starts, unless one of the same schedule and due time is recorded already (another host
     * ran it): the catalog, shared by all hosts, decides which host runs a firing.
     *
     * @return empty when this firing is now recorded (and must run); else the run that has it already
     */
    public Optional<ScheduleRun> claim(ScheduleRun run) {
        boolean claimed = database.run("record a run of schedule " + run.schedule(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schedule_runs"
                    + " (id, schedule, host, fired_at, finished_at, status, summary, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindInsert(insert, run);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (database.dialect().isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
        if (claimed) {
            return Optional.empty();
        }
        return database.run("read the run of schedule " + run.schedule() + " due " + run.dueAt().orElse(null),
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, due_at,"
                            + " fired_at, finished_at, status, summary FROM schedule_runs WHERE schedule = ? AND due_at = ?")) {
                        statement.setString(1, run.schedule());
                        database.bindInstant(statement, 2, run.dueAt().orElseThrow());
                        try (ResultSet row = statement.executeQuery()) {
                            return row.next() ? Optional.of(read(row)) : Optional.<ScheduleRun>empty();
                        }
                    }
                }).or(() -> {
                    throw new CatalogException("the run of schedule " + run.schedule() + " due " + run.dueAt().orElse(null)
                            + " is recorded and gone again", null);
                });
    }

    /**
     * Marks the schedule's earlier firings that are still {@code running} as {@code interrupted}: a schedule's
     * firings never overlap (one at a time, over all hosts), so when one starts, an earlier one still "running" is
     * the record of a host that died in it. Should that host be alive after all (a database outage made the
     * cluster believe otherwise), its own end overwrites this.
     *
     * @param current the firing that starts now
     * @return how many were marked
     */
    public int interruptEarlier(ScheduleRun current, Instant now) {
        return database.run("close the earlier runs of schedule " + current.schedule(), connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE schedule_runs SET status = ?,"
                    + " finished_at = ?, summary = ? WHERE schedule = ? AND status = ? AND id <> ? AND fired_at < ?")) {
                update.setString(1, ScheduleRun.Status.INTERRUPTED.label());
                database.bindInstant(update, 2, now);
                update.setString(3, "interrupted: its host stopped before the firing finished (the next firing, on "
                        + current.host() + ", found it unfinished)");
                update.setString(4, current.schedule());
                update.setString(5, ScheduleRun.Status.RUNNING.label());
                update.setString(6, current.id());
                database.bindInstant(update, 7, current.firedAt());
                return update.executeUpdate();
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
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, due_at, fired_at,"
                    + " finished_at, status, summary FROM schedule_runs" + where + " ORDER BY fired_at DESC, id"
                    + " LIMIT " + Math.max(0, limit))) {
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

    /** The newest firing of a schedule, if it ever fired. */
    public Optional<ScheduleRun> last(String schedule) {
        return database.run("read the last run of schedule " + schedule, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, due_at, fired_at,"
                    + " finished_at, status, summary FROM schedule_runs WHERE schedule = ? ORDER BY fired_at DESC, id"
                    + " LIMIT 1")) {
                statement.setString(1, schedule);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.empty();
                }
            }
        });
    }

    /** Every firing ever recorded, oldest first. */
    public List<ScheduleRun> all() {
        return database.run("read the runs of schedules", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, schedule, host, due_at, fired_at,"
                    + " finished_at, status, summary FROM schedule_runs ORDER BY fired_at, id");
                    ResultSet rows = statement.executeQuery()) {
                List<ScheduleRun> runs = new ArrayList<>();
                while (rows.next()) {
                    runs.add(read(rows));
                }
                return runs;
            }
        });
    }

    /** Adds many firings at once, in one transaction: all or none. */
    public void insertAll(List<ScheduleRun> runs) {
        database.transaction("record " + runs.size() + " runs of schedules", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schedule_runs"
                    + " (id, schedule, host, fired_at, finished_at, status, summary, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ScheduleRun run : runs) {
                    bindInsert(insert, run);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    private void bindInsert(PreparedStatement insert, ScheduleRun run) throws SQLException {
        insert.setString(1, run.id());
        insert.setString(2, run.schedule());
        insert.setString(3, run.host());
        database.bindInstant(insert, 4, run.firedAt());
        database.bindInstant(insert, 5, run.finishedAt().orElse(null));
        insert.setString(6, run.status().label());
        insert.setString(7, truncate(run.summary()));
        database.bindInstant(insert, 8, run.dueAt().orElse(null));
    }

    private void bindFinish(PreparedStatement statement, ScheduleRun run) throws SQLException {
        database.bindInstant(statement, 1, run.finishedAt().orElse(null));
        statement.setString(2, run.status().label());
        statement.setString(3, truncate(run.summary()));
    }

    private ScheduleRun read(ResultSet row) throws SQLException {
        return new ScheduleRun(row.getString("id"), row.getString("schedule"), row.getString("host"),
                Optional.ofNullable(database.readInstant(row, "due_at")), database.readInstant(row, "fired_at"), Optional.ofNullable(database.readInstant(row, "finished_at")),
                ScheduleRun.Status.fromLabel(row.getString("status")), row.getString("summary"));
    }

    private static String truncate(String summary) {
        return summary.length() <= 4000 ? summary : summary.substring(0, 3997) + "...";
    }
}
