package io.cairn.host.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cairn.host.config.CatalogSettings;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The catalog's database: a small connection pool, with the schema brought up to date by Flyway
 * migrations ({@code db/migration} on the class path) when it opens.
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
    private static final int MIGRATION_ATTEMPTS = 3;
    private static final java.time.Duration LOCKED_FILE_PATIENCE = java.time.Duration.ofSeconds(10);

    private final String url;
    private final HikariDataSource dataSource;

    private CatalogDatabase(String url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
    }

    /**
     * Connects and migrates.
     *
     * @throws CatalogException naming the URL when the database cannot be reached or migrated
     */
    public static CatalogDatabase open(CatalogSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        settings.user().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        config.setPoolName("cairn-catalog");
        // A CLI command needs a connection or two; `serve` needs one per Quartz worker and running
        // backup, plus Quartz's misfire and cluster threads. Idle connections are not kept.
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource = connect(config, settings.url());
        try {
            migrate(dataSource);
        } catch (FlywayException e) {
            dataSource.close();
            throw new CatalogException("cannot bring the catalog schema in " + settings.url() + " up to date: "
                    + rootMessage(e), e);
        }
        return new CatalogDatabase(settings.url(), dataSource);
    }

    /**
     * Brings the schema up to date. Two processes opening a new catalog at the same moment (the first
     * {@code cairn serve} and a {@code cairn list}) may both start the same migration; the loser fails on a
     * table the winner just created, and on a second look finds the schema up to date.
     */
    private static void migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                if (attempt == MIGRATION_ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlywayException("interrupted while migrating the catalog schema", e);
            }
        }
    }

    /**
     * Opens the pool. An embedded H2 file changes hands between cairn processes (AUTO_SERVER: the first to
     * open it serves it to the others, until it closes it): for a moment it is locked, or its server has just
     * gone. Both are waited out, for a few seconds, rather than failing a {@code cairn list} that happens to
     * run while {@code cairn serve} starts, or a {@code serve} that starts while a {@code list} ends.
     */
    private static HikariDataSource connect(HikariConfig config, String url) {
        long deadline = System.nanoTime() + LOCKED_FILE_PATIENCE.toNanos();
        while (true) {
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                if (!isChangingHands(e) || System.nanoTime() > deadline) {
                    throw new CatalogException("cannot open the catalog database " + url + ": " + rootMessage(e), e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogException("interrupted while opening the catalog database " + url, e);
            }
        }
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

    /** The JDBC URL, for messages. */
    public String url() {
        return url;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs JDBC work on one pooled connection.
     *
     * @param what what is being done, for the message: "cannot {what} in catalog {url}: ..."
     */
    <T> T run(String what, SqlWork<T> work) {
        try (Connection connection = connection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new CatalogException("cannot " + what + " in catalog " + url + ": " + e.getMessage(), e);
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
