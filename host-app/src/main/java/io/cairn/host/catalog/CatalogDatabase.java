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
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new CatalogException("cannot open the catalog database " + settings.url() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new CatalogException("cannot bring the catalog schema in " + settings.url() + " up to date: "
                    + rootMessage(e), e);
        }
        return new CatalogDatabase(settings.url(), dataSource);
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
