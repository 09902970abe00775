package io.cairn.host;

import io.cairn.host.backup.BackupOrchestrator;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.backup.DeletionOrchestrator;
import io.cairn.host.backup.RestoreOrchestrator;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ClusterValidator;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.config.HostSettings;
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
        }
        return catalog;
    }

    public synchronized ClusterSessions sessions() {
        if (sessions == null) {
            sessions = new ClusterSessions();
        }
        return sessions;
    }

    public BackupOrchestrator backups() {
        BackupCatalog backupCatalog = catalog();
        return new BackupOrchestrator(backupCatalog, leases, sessions(), clock);
    }

    public RestoreOrchestrator restores() {
        return new RestoreOrchestrator(sessions());
    }

    public DeletionOrchestrator deletions() {
        BackupCatalog backupCatalog = catalog();
        return new DeletionOrchestrator(backupCatalog, leases, sessions(), clock);
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
