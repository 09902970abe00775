package io.cairn.host;

import io.cairn.host.backup.BackupOrchestrator;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.backup.CrashRecovery;
import io.cairn.host.backup.DeletionOrchestrator;
import io.cairn.host.backup.RestoreOrchestrator;
import io.cairn.host.backup.RetentionPruner;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ClusterValidator;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.config.HostSettings;
import io.cairn.host.events.EventRelay;
import io.cairn.host.plugins.BackendLoader;
import io.cairn.host.plugins.LoadedBackends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The assembled host for one command (or one {@code serve}): configuration, loaded backends, the
 * catalog and the orchestrators, each built on first use - {@code cairn plugins} never opens the
 * catalog, {@code cairn list} never loads a plugin.
 */
public final class Host implements AutoCloseable {

    private final ConfDirectory conf;
    private final HostSettings settings;
    private final Clock clock;
    private LoadedBackends backends;
    private CatalogDatabase database;
    private BackupCatalog catalog;
    private VolumeLeases leases;
    private ClusterSessions sessions;
    private ScheduleRunLog runLog;
    private final EventRelay events = new EventRelay();
    private boolean closed;

    private Host(ConfDirectory conf, Clock clock) {
        this.conf = conf;
        this.settings = conf.hostSettings();
        this.clock = clock;
    }

    /**
     * Reads {@code cairn.yaml} from the conf directory.
     *
     * @throws io.cairn.host.config.ConfigurationException when the directory or the file is wrong
     */
    public static Host open(Path confDir) {
        return new Host(ConfDirectory.at(confDir), Clock.systemUTC());
    }

    public ConfDirectory conf() {
        return conf;
    }

    public HostSettings settings() {
        return settings;
    }

    /** The plugins, loaded from {@code plugins_dir} on first call. */
    public synchronized LoadedBackends backends() {
        if (backends == null) {
            backends = BackendLoader.load(settings.pluginsDir());
        }
        return backends;
    }

    /**
     * A cluster, read from its file and checked against its backend's options.
     *
     * @throws io.cairn.host.config.ConfigurationException naming file, key and reason
     */
    public ConfiguredCluster cluster(String name) {
        return ClusterValidator.validate(conf.cluster(name), backends(), conf.path());
    }

    /** The catalog, opened (and its schema migrated) on first call. */
    public synchronized BackupCatalog catalog() {
        if (catalog == null) {
            createDataDir();
            database = CatalogDatabase.open(settings.catalog());
            catalog = new BackupCatalog(database);
            leases = new VolumeLeases(database, settings.volumeLease(), clock);
            runLog = new ScheduleRunLog(database);
        }
        return catalog;
    }

    /** The catalog's database (opened on first call), which also holds the scheduler's job store. */
    public synchronized CatalogDatabase database() {
        catalog();
        return database;
    }

    /** The per-volume locks in the catalog database. */
    public synchronized VolumeLeases leases() {
        catalog();
        return leases;
    }

    /** The record of schedule firings. */
    public synchronized ScheduleRunLog runLog() {
        catalog();
        return runLog;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * What the orchestrators and schedule firings tell of every backup, restore, retention deletion and
     * firing; {@code cairn serve}'s metrics subscribe to it.
     */
    public EventRelay events() {
        return events;
    }

    public synchronized ClusterSessions sessions() {
        if (sessions == null) {
            sessions = new ClusterSessions();
        }
        return sessions;
    }

    public BackupOrchestrator backups() {
        BackupCatalog backupCatalog = catalog();
        return new BackupOrchestrator(backupCatalog, leases, sessions(), clock, events());
    }

    public RestoreOrchestrator restores() {
        return new RestoreOrchestrator(sessions(), events());
    }

    public DeletionOrchestrator deletions() {
        BackupCatalog backupCatalog = catalog();
        return new DeletionOrchestrator(backupCatalog, leases, sessions(), clock);
    }

    /** Retention: deletes what a schedule's rules no longer keep. */
    public RetentionPruner pruner() {
        BackupCatalog backupCatalog = catalog();
        return new RetentionPruner(backupCatalog, leases, deletions(), events());
    }

    /** Cleans up after a process that died mid-backup or mid-delete, on every configured cluster. */
    public java.util.List<String> recoverFromCrash() {
        BackupCatalog backupCatalog = catalog();
        return new CrashRecovery(backupCatalog, leases, sessions(), clock).run(conf.clusterNames(), this::cluster);
    }

    private void createDataDir() {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data_dir " + settings.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /** Closes sessions, then the catalog, then unloads plugins (their classes back the sessions). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sessions != null) {
            sessions.close();
        }
        if (database != null) {
            database.close();
        }
        if (backends != null) {
            backends.close();
        }
    }
}
