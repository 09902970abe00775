package io.cairn.host.schedule;

import io.cairn.host.catalog.CatalogDialect;
import io.cairn.host.config.ServeSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Makes the Quartz scheduler of {@code cairn serve}: JDBC job store ({@code JobStoreTX}) on the catalog's
 * own database and connection pool (tables {@code QRTZ_*}, created by the catalog's Flyway migration
 * {@code V2__quartz_job_store.sql}), job data stored as properties (strings only, never a serialised
 * object), and clustering switched by configuration alone ({@code scheduler_clustered}).
 */
public final class JdbcSchedulerFactory {

    /** Quartz's {@code SCHED_NAME}: every host sharing a catalog shares the schedules stored under it. */
    public static final String SCHEDULER_NAME = "cairn";

    private JdbcSchedulerFactory() {
    }

    /**
     * A scheduler, not yet started, whose jobs are made by the caller's job factory.
     *
     * @param dataSource the catalog's pool, which the scheduler borrows and never closes
     * @param dialect    the catalog's database, which picks Quartz's delegate and lock handler
     */
    public static Scheduler create(DataSource dataSource, CatalogDialect dialect, ServeSettings settings)
            throws SchedulerException {
        // Quartz's job store finds its connections by name in Quartz's own JVM-wide registry; the pool is
        // registered there under a name of this scheduler's alone, so schedulers in one JVM (tests) stay apart.
        String dataSourceName = "cairn-catalog-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new CatalogConnections(dataSource));
        return new StdSchedulerFactory(properties(dialect, settings, dataSourceName)).getScheduler();
    }

    static Properties properties(CatalogDialect dialect, ServeSettings settings, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", settings.clustered() ? "AUTO" : "NON_CLUSTERED");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        // A firing's thread only waits for its volumes, which run on the backup workers within the limits;
        // enough threads that every schedule due at once can start waiting.
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(Math.max(4, settings.maxParallelBackups())));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // PostgreSQL's delegate on PostgreSQL (BYTEA job data); see CatalogDialect for the others.
        p.setProperty("org.quartz.jobStore.driverDelegateClass", dialect.quartzDelegate());
        if (dialect.quartzLockHandler() != null) {
            p.setProperty("org.quartz.jobStore.lockHandler.class", dialect.quartzLockHandler());
        }
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(settings.misfireThreshold().toMillis()));
        p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(settings.clustered()));
        // A host that stops checking in is taken for dead after this plus Quartz's 7.5 s grace, and its triggers
        // (a schedule blocked by the firing it was running) are released to the others: 12.5 s.
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }

    /** The catalog's pool as a Quartz connection provider; the pool is the host's, so Quartz never closes it. */
    private record CatalogConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // The host closes the catalog's pool after the scheduler.
        }

        @Override
        public void initialize() {
            // Nothing to set up: the pool is open.
        }
    }
}
