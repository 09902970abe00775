package io.cairn.host.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cairn.api.option.DurationText;
import io.cairn.host.config.CatalogSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * The catalog's database: a small connection pool, with the schema brought up to date by Flyway
 * migrations ({@code db/migration} on the class path, see {@link SchemaMigrations}) when it opens.
 *
 * <p>Every access is bounded by the catalog's timeout ({@code catalog_timeout}): waiting for a connection,
 * for a lock another process holds, for the server to answer. A connection lost on the way (a database
 * server restarting) is retried with a new one until the timeout, so a restart shorter than it costs no
 * record; anything longer fails with a {@link CatalogException} that names the catalog and what was being
 * done - never its password.
 */
public final class CatalogDatabase implements AutoCloseable {

    /** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: the file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's ErrorCode.CONNECTION_BROKEN_1: the process serving the file (AUTO_SERVER) just closed it. */
    private static final int H2_CONNECTION_BROKEN = 90067;
    /**
     * H2's ErrorCode.ERROR_OPENING_DATABASE_1: "Lock file recently modified", "Concurrent update" while
     * another process takes the file over. A file that cannot be opened at all fails after the patience.
     */
    private static final int H2_ERROR_OPENING_DATABASE = 8000;
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);

    private final CatalogSettings settings;
    private final CatalogDialect dialect;
    private final HikariDataSource dataSource;

    private CatalogDatabase(CatalogSettings settings, CatalogDialect dialect, HikariDataSource dataSource) {
        this.settings = settings;
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /**
     * Connects and migrates.
     *
     * @throws CatalogException naming the URL when the database cannot be reached or migrated
     */
    public static CatalogDatabase open(CatalogSettings settings) {
        CatalogDialect dialect = CatalogDialect.of(settings.url());
        HikariConfig config = new HikariConfig();
        Properties properties = dialect.driverProperties(settings.timeout());
        settings.user().ifPresent(user -> properties.setProperty("user", user));
        settings.password().ifPresent(password -> properties.setProperty("password", password));
        config.setDataSource(new DriverConnections(dialect.driverClass(), settings.url(), properties));
        config.setPoolName("cairn-catalog");
        // A CLI command needs a connection or two; `serve` needs one per Quartz worker and running
        // backup, plus Quartz's misfire and cluster threads. Idle connections are not kept.
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, settings.timeout().toMillis()));
        // Opening waits for the database as long as any access does (a server restarting), then fails.
        config.setInitializationFailTimeout(Math.max(1, settings.timeout().toMillis()));
        HikariDataSource dataSource = connect(config, settings);
        try {
            SchemaMigrations.bringUpToDate(dataSource);
        } catch (FlywayException e) {
            dataSource.close();
            throw new CatalogException("cannot bring the catalog schema in " + settings.displayUrl() + " up to date: "
                    + rootMessage(e), e);
        }
        return new CatalogDatabase(settings, dialect, dataSource);
    }

    /**
     * Opens the pool. An H2 file of an earlier version changes hands between cairn processes (AUTO_SERVER: the
     * first to open it serves it to the others, until it closes it): for a moment it is locked, or its server has
     * just gone. Both are waited out, for the timeout, rather than failing a command that happens to run while
     * another starts or ends.
     */
    private static HikariDataSource connect(HikariConfig config, CatalogSettings settings) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                if (!isChangingHands(e) || System.nanoTime() > deadline) {
                    throw new CatalogException("cannot open the catalog database " + settings.displayUrl() + ": "
                            + rootMessage(e) + unreachableHint(e, settings), e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogException("interrupted while opening the catalog database " + settings.displayUrl(), e);
            }
        }
    }

    private static String unreachableHint(Throwable e, CatalogSettings settings) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionLost(sql)) {
                return " (no answer within catalog_timeout " + DurationText.format(settings.timeout()) + ")";
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return "";
    }

    private static boolean isChangingHands(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || sql.getErrorCode() == H2_CONNECTION_BROKEN || sql.getErrorCode() == H2_ERROR_OPENING_DATABASE)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL as it may be shown (a password written into it hidden), for messages. */
    public String url() {
        return settings.displayUrl();
    }

    /** The JDBC URL as configured, password and all: only for handing to a driver. */
    public String jdbcUrl() {
        return settings.url();
    }

    /** The database's kind. */
    public CatalogDialect dialect() {
        return dialect;
    }

    /** The longest any one access waits. */
    public Duration timeout() {
        return settings.timeout();
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs JDBC work on one pooled connection. Work whose connection broke (the server restarted, the network
     * dropped) is run again on a new one until the timeout; it must therefore be safe to repeat, as each
     * statement of the catalog is on its own (auto-commit) or in one transaction.
     *
     * @param what what is being done, for the message: "cannot {what} in catalog {url}: ..."
     * @throws CatalogException naming the catalog and {@code what} when it fails or the timeout passes
     */
    <T> T run(String what, SqlWork<T> work) {
        Instant deadline = Instant.now().plus(settings.timeout());
        while (true) {
            try (Connection connection = connection()) {
                return work.apply(connection);
            } catch (SQLException e) {
                if (isConnectionLost(e) && Instant.now().plus(RECONNECT_PAUSE).isBefore(deadline)) {
                    pause(what);
                    continue;
                }
                throw failure(what, e);
            }
        }
    }

    /**
     * Runs JDBC work as one transaction: committed when it returns, rolled back when it throws. Retried as a whole
     * on a new connection when the connection broke.
     */
    <T> T transaction(String what, SqlWork<T> work) {
        return run(what, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private CatalogException failure(String what, SQLException e) {
        String waited = DurationText.format(settings.timeout());
        if (dialect.isLockTimeout(e)) {
            return new CatalogException("cannot " + what + " in catalog " + url() + ": another process holds a lock on it"
                    + " and did not let go within catalog_timeout " + waited + " (a cairn process that is stopped or"
                    + " frozen holds it until it goes on or is killed): " + e.getMessage(), e);
        }
        if (isConnectionLost(e)) {
            return new CatalogException("cannot " + what + " in catalog " + url() + ": the database did not answer"
                    + " within catalog_timeout " + waited + ": " + e.getMessage(), e);
        }
        return new CatalogException("cannot " + what + " in catalog " + url() + ": " + e.getMessage(), e);
    }

    /**
     * Whether the connection (not the statement) failed: SQL state class 08 (connection exception), a server
     * shutting down or starting (57P01-57P03), or no connection to be had from the pool in time.
     */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"));
    }

    private static void pause(String what) {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while waiting to " + what + " in the catalog", e);
        }
    }

    /**
     * Asks the database a trivial question, as a health check.
     *
     * @throws CatalogException naming the URL when it does not answer
     */
    public void check() {
        run("check the connection", connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(10);
                statement.execute("SELECT 1");
            }
            return null;
        });
    }

    /** Binds a time (or SQL NULL) as this database stores times. */
    void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        dialect.bindInstant(statement, index, instant);
    }

    /** Reads a time as this database stores times; null for SQL NULL. */
    Instant readInstant(ResultSet row, String column) throws SQLException {
        return dialect.readInstant(row, column);
    }

    /** Reads a time by the column's position (1 for the first); null for SQL NULL. */
    Instant readInstant(ResultSet row, int column) throws SQLException {
        return dialect.readInstant(row, column);
    }

    /** A piece of JDBC work on one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
