package io.cairn.host.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Properties;

/**
 * What differs between the databases a catalog can live in. The schema and every query are the same SQL
 * (the Flyway migrations are one history for all three); what differs is how a time is stored, how a
 * broken rule or a held lock is reported, how waits are bounded, and which Quartz delegate reads the job
 * store.
 *
 * <ul>
 *   <li>{@link #SQLITE} - the embedded default. Every {@code cairn} process opens the file itself; SQLite's
 *       file locks (the kernel's, released when a process dies) keep writers apart, and in WAL mode readers
 *       never wait for a writer. A frozen process can hold up writers only while it is inside a write
 *       transaction, and then for at most the timeout ({@code busy_timeout}).</li>
 *   <li>{@link #POSTGRESQL} - a catalog several hosts share, with Quartz clustering.</li>
 *   <li>{@link #H2} - the embedded catalog of earlier versions, still opened when it is what a data
 *       directory holds (and by {@code cairn catalog copy} to move it).</li>
 * </ul>
 */
public enum CatalogDialect {

    SQLITE("SQLite", "org.sqlite.JDBC") {
        /**
         * SQLite has no time type: times are text, UTC, always with six fraction digits (microseconds, as
         * PostgreSQL and H2 keep them), so that comparing and sorting the text is comparing and sorting the times
         * ({@code expires_at < ?}, {@code ORDER BY started_at}).
         */
        @Override
        void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            if (instant == null) {
                statement.setNull(index, Types.VARCHAR);
            } else {
                statement.setString(index, SORTABLE_UTC.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)));
            }
        }

        @Override
        Instant readInstant(ResultSet row, String column) throws SQLException {
            String text = row.getString(column);
            return text == null ? null : parseSortableUtc(text);
        }

        @Override
        Instant readInstant(ResultSet row, int column) throws SQLException {
            String text = row.getString(column);
            return text == null ? null : parseSortableUtc(text);
        }

        @Override
        boolean isUniqueViolation(SQLException e) {
            // SQLITE_CONSTRAINT (19) and its extended codes; the driver sets no SQL state.
            return (e.getErrorCode() & 0xff) == 19 && e.getMessage() != null && e.getMessage().contains("UNIQUE");
        }

        @Override
        boolean isLockTimeout(SQLException e) {
            // SQLITE_BUSY (5) or SQLITE_LOCKED (6), with or without extended codes.
            int primary = e.getErrorCode() & 0xff;
            return primary == 5 || primary == 6;
        }

        @Override
        Properties driverProperties(Duration timeout) {
            Properties p = new Properties();
            // Readers and one writer at once, across processes; the WAL's shared memory needs a local file system.
            p.setProperty("journal_mode", "WAL");
            // A commit is on disk before the next step touches a cluster: a crash never loses the record of a
            // snapshot or a base image already made.
            p.setProperty("synchronous", "FULL");
            p.setProperty("foreign_keys", "true");
            // Waits for another process's write lock at most this long, then fails (SQLITE_BUSY).
            p.setProperty("busy_timeout", String.valueOf(timeout.toMillis()));
            // A transaction takes the write lock when it begins: a read transaction that later writes could
            // otherwise fail at once (a stale snapshot) instead of waiting its turn.
            p.setProperty("transaction_mode", "IMMEDIATE");
            return p;
        }

        @Override
        public String quartzDelegate() {
            // StdJDBCDelegate reads job data with ResultSet.getBlob, which SQLite's driver lacks; PostgreSQL's
            // delegate differs from it only in reading them with getBytes, which SQLite's driver has.
            return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
        }

        @Override
        public String quartzLockHandler() {
            // SQLite has no SELECT ... FOR UPDATE; an UPDATE of the lock row takes the database's write lock.
            return "org.quartz.impl.jdbcjobstore.UpdateLockRowSemaphore";
        }
    },

    POSTGRESQL("PostgreSQL", "org.postgresql.Driver") {
        @Override
        boolean isLockTimeout(SQLException e) {
            // lock_not_available (lock_timeout), query_canceled (statement_timeout)
            return "55P03".equals(e.getSQLState()) || "57014".equals(e.getSQLState());
        }

        @Override
        Properties driverProperties(Duration timeout) {
            long seconds = Math.max(1, timeout.toSeconds());
            Properties p = new Properties();
            p.setProperty("connectTimeout", String.valueOf(seconds));
            p.setProperty("loginTimeout", String.valueOf(seconds));
            // The socket's read timeout is the last resort against a server that stopped answering; the server's
            // own timeouts below end a statement first, with a clearer error.
            p.setProperty("socketTimeout", String.valueOf(seconds + 10));
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("ApplicationName", "cairn");
            // A statement, a wait for a row lock, and a transaction left open by a client that froze (SIGSTOP, a
            // stopped VM) all end after the timeout: the server then drops the frozen client's session and its
            // locks, so Quartz on the other hosts is not held up by it for longer than that.
            long millis = timeout.toMillis();
            p.setProperty("options", "-c statement_timeout=" + millis + " -c lock_timeout=" + millis
                    + " -c idle_in_transaction_session_timeout=" + millis);
            return p;
        }

        @Override
        public String quartzDelegate() {
            return "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
        }
    },

    H2("H2", "org.h2.Driver") {
        @Override
        boolean isLockTimeout(SQLException e) {
            // LOCK_TIMEOUT_1 (50200)
            return e.getErrorCode() == 50200;
        }
    };

    /** Six fraction digits always: text order is time order. */
    private static final DateTimeFormatter SORTABLE_UTC = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT);

    /**
     * Reads {@link #SORTABLE_UTC} text ({@code 2026-01-01T02:30:00.123456Z}) by its fixed positions: a listing of
     * 100,000 backups reads 200,000 times, and {@code OffsetDateTime.parse} costs microseconds each. Anything else
     * (written by hand, or by another tool) goes through the general parser.
     */
    static Instant parseSortableUtc(String text) {
        if (text.length() != 27 || text.charAt(4) != '-' || text.charAt(10) != 'T' || text.charAt(19) != '.'
                || text.charAt(26) != 'Z') {
            return OffsetDateTime.parse(text).toInstant();
        }
        try {
            long seconds = java.time.LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10),
                    digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19)).toEpochSecond(ZoneOffset.UTC);
            return Instant.ofEpochSecond(seconds, digits(text, 20, 26) * 1000L);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException(text);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private final String productName;
    private final String driverClass;

    CatalogDialect(String productName, String driverClass) {
        this.productName = productName;
        this.driverClass = driverClass;
    }

    /**
     * The JDBC driver's class: instantiated directly ({@link DriverConnections}) instead of asking
     * {@code DriverManager}, which loads every driver on the class path first (a cost each command pays at start).
     */
    String driverClass() {
        return driverClass;
    }

    /**
     * The dialect of a JDBC URL.
     *
     * @throws CatalogException for a database the catalog does not support
     */
    public static CatalogDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new CatalogException("the catalog cannot live in " + io.cairn.host.config.CatalogSettings.displayUrl(jdbcUrl)
                + ": supported are PostgreSQL (jdbc:postgresql://HOST/DATABASE), SQLite (jdbc:sqlite:FILE, the embedded"
                + " default) and H2 (jdbc:h2:..., earlier versions' embedded catalog)", null);
    }

    /** "SQLite", "PostgreSQL", "H2". */
    public String productName() {
        return productName;
    }

    /** Binds a time (or SQL NULL) to a {@code TIMESTAMP WITH TIME ZONE} column; the catalog keeps microseconds. */
    void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    /** Reads a time bound by {@link #bindInstant}; null for SQL NULL. */
    Instant readInstant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** {@link #readInstant(ResultSet, String)} by the column's position, for reads of many rows. */
    Instant readInstant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Whether an insert failed on a primary key or unique constraint. */
    boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** Whether a statement gave up waiting for a lock another session holds (or for itself to end). */
    abstract boolean isLockTimeout(SQLException e);

    /** The driver's connection properties that bound every wait by {@code timeout}. */
    Properties driverProperties(Duration timeout) {
        return new Properties();
    }

    /** Quartz's {@code driverDelegateClass} for this database. */
    public String quartzDelegate() {
        return "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
    }

    /** Quartz's {@code lockHandler.class}; null for Quartz's default ({@code SELECT ... FOR UPDATE}). */
    public String quartzLockHandler() {
        return null;
    }

    /** Whether several hosts can share the database (and so a clustered scheduler). */
    public boolean isShared() {
        return this == POSTGRESQL;
    }
}
