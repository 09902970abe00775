package io.cairn.host;

import io.cairn.host.backup.BackupOrchestrator;
import io.cairn.host.backup.BackupSetOperations;
import io.cairn.host.backup.BackupSetOrchestrator;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.backup.CrashRecovery;
import io.cairn.host.backup.CatalogRebuilder;
import io.cairn.host.backup.DeletionOrchestrator;
import io.cairn.host.backup.GracePeriodDeletions;
import io.cairn.host.backup.VerifyOrchestrator;
import io.cairn.host.catalog.ExpiringBackups;
import io.cairn.host.catalog.ImportLog;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.backup.OwnedStorage;
import io.cairn.host.backup.SourceSnapshots;
import io.cairn.host.backup.RestoreOrchestrator;
import io.cairn.host.backup.RetentionPruner;
import io.cairn.host.backup.StaleBackupCleaner;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.Catalog;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.ScheduleRunLog;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ClusterFile;
import io.cairn.host.config.Clusters;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfigurationProblem;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.config.HostSettings;
import io.cairn.host.events.EventRelay;
import io.cairn.host.plugins.BackendLoader;
import io.cairn.host.plugins.LoadedBackends;
import io.cairn.host.schedule.JdbcSchedulerFactory;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import io.cairn.host.schedule.ExpiryPurges;
import io.cairn.host.schedule.ScheduleFiring;
import io.cairn.host.schedule.ScheduledVerifies;
import io.cairn.host.schedule.ScheduleService;
import io.cairn.host.schedule.TransferLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the host's services once, each with its collaborators passed in its
 * constructor, and closes everything that holds a thread or a connection in one place, in order.
 *
 * <p>Three assemblies, so that a command pays only for what it uses: {@link #loadBackends} (the plugins
 * alone: {@code cairn plugins} never opens the catalog), {@link #openCatalog} (the catalog alone:
 * {@code cairn list} never loads a plugin) and {@link #open} (both, and everything built on them).
 */
public final class Host implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final ConfDirectory conf;
    private final HostSettings settings;
    private final Clock clock;
    private final ProcessIdentity process;
    private final LoadedBackends backends;
    private final Catalog catalog;
    private final Clusters clusters;
    private final ClusterSessions sessions;
    private final BackupOrchestrator backups;
    private final RestoreOrchestrator restores;
    private final DeletionOrchestrator deletions;
    private final GracePeriodDeletions graceDeletions;
    private final VerifyOrchestrator verifier;
    private final CatalogRebuilder rebuilder;
    private final RetentionPruner pruner;
    private final CrashRecovery recovery;
    private final BackupSetCatalog setCatalog;
    private final BackupSetOrchestrator sets;
    private final BackupSetOperations setOperations;
    private final EventRelay events = new EventRelay();
    private ScheduleService schedules;
    private ExpiryPurges purges;
    private boolean closed;

    private Host(ConfDirectory conf, HostSettings settings, Clock clock, ProcessIdentity process,
            LoadedBackends backends, Clusters clusters, ClusterSessions sessions, Catalog catalog) {
        this.conf = conf;
        this.settings = settings;
        this.clock = clock;
        this.process = process;
        this.backends = backends;
        this.catalog = catalog;
        this.clusters = clusters;
        this.sessions = sessions;
        SourceSnapshots snapshots = new SourceSnapshots(catalog.backups(), clock);
        OwnedStorage storage = new OwnedStorage(catalog.backups(), snapshots);
        StaleBackupCleaner cleaner = new StaleBackupCleaner(catalog.backups(), storage, clock, process);
        this.backups = new BackupOrchestrator(catalog.backups(), catalog.leases(), sessions, cleaner, snapshots,
                storage, clock, events);
        this.restores = new RestoreOrchestrator(catalog.backups(), catalog.restores(), sessions, events);
        this.deletions = new DeletionOrchestrator(catalog.backups(), catalog.leases(), catalog.restores(), sessions,
                cleaner, storage);
        this.setCatalog = new BackupSetCatalog(catalog.database());
        this.sets = new BackupSetOrchestrator(setCatalog, catalog.backups(), catalog.leases(), sessions, backups, clock,
                events);
        this.graceDeletions = new GracePeriodDeletions(catalog.backups(), new ExpiringBackups(catalog.database()),
                new ImportLog(catalog.database()), catalog.leases(), deletions, settings.deleteGrace(), clock, process);
        this.setOperations = new BackupSetOperations(setCatalog, catalog.backups(), sessions, restores, graceDeletions,
                clock, events);
        this.recovery = new CrashRecovery(catalog.backups(), catalog.leases(), catalog.restores(), sessions, cleaner);
        this.verifier = new VerifyOrchestrator(catalog.backups(), new VerifyLog(catalog.database()), sessions, clock,
                process, events);
        this.rebuilder = new CatalogRebuilder(catalog.backups(), new ImportLog(catalog.database()), sessions, clock);
        this.pruner = new RetentionPruner(catalog.backups(), catalog.leases(), sessions, cleaner, graceDeletions, events,
                Optional.of(setCatalog));
    }

    /**
     * The whole host: reads {@code cairn.yaml}, loads the plugins, opens the catalog.
     *
     * @throws ConfigurationException when the directory or the file is wrong
     * @throws io.cairn.host.catalog.CatalogException when the catalog cannot be opened
     */
    public static Host open(Path confDir) {
        return open(confDir, List.of());
    }

    /**
     * The whole host, as {@link #open(Path)}, connecting to the named clusters while the catalog opens: a
     * command that will surely need a cluster (a backup names it) pays for the slower of the two, not for both.
     * A cluster whose file is wrong is not connected to here; the command reports it when it asks for it.
     *
     * @param openAhead names of clusters in {@code conf/clusters/}
     */
    public static Host open(Path confDir, List<String> openAhead) {
        ConfDirectory conf = ConfDirectory.at(confDir);
        HostSettings settings = conf.hostSettings();
        Clock clock = Clock.systemUTC();
        ProcessIdentity process = ProcessIdentity.current();
        LoadedBackends backends = loadBackends(settings);
        Clusters clusters = new Clusters(conf, backends);
        ClusterSessions sessions = new ClusterSessions();
        try {
            for (String name : openAhead) {
                try {
                    sessions.openAhead(clusters.cluster(name));
                } catch (ConfigurationException e) {
                    LOG.debug("not connecting to cluster {} ahead: {}", name, e.getMessage());
                }
            }
            return new Host(conf, settings, clock, process, backends, clusters, sessions,
                    openCatalog(settings, clock, process));
        } catch (RuntimeException e) {
            sessions.close();
            backends.close();
            throw e;
        }
    }

    /** The plugins of {@code plugins_dir} alone. */
    public static LoadedBackends loadBackends(HostSettings settings) {
        return BackendLoader.load(settings.pluginsDir());
    }

    /** The catalog alone, its schema migrated, with lease holders named after {@code process}. */
    public static Catalog openCatalog(HostSettings settings, Clock clock, ProcessIdentity process) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data_dir " + settings.dataDir() + ": " + e.getMessage(), e);
        }
        CatalogDatabase database = CatalogDatabase.open(settings.catalog());
        return new Catalog(database, new BackupCatalog(database),
                new VolumeLeases(database, settings.volumeLease(), clock, process), new ScheduleRunLog(database),
                new RestoreLog(database, settings.volumeLease(), clock, process));
    }

    /** The catalog alone, for this process. */
    public static Catalog openCatalog(HostSettings settings) {
        return openCatalog(settings, Clock.systemUTC(), ProcessIdentity.current());
    }

    public ConfDirectory conf() {
        return conf;
    }

    public HostSettings settings() {
        return settings;
    }

    public LoadedBackends backends() {
        return backends;
    }

    /**
     * A cluster, read from its file and checked against its backend's options.
     *
     * @throws ConfigurationException naming file, key and reason
     */
    public ConfiguredCluster cluster(String name) {
        return clusters.cluster(name);
    }

    /**
     * The clusters the schedules name, each checked, and the schedules' volumes checked in the terms of
     * their cluster's backend; every problem of every file at once. A cluster whose plugin is not loaded
     * (its JAR removed, or refused) is no configuration error of its file: it is returned as unavailable,
     * and only its schedules fail, at each firing.
     *
     * @throws ConfigurationException listing every problem
     */
    public ServedClusters clustersOf(List<Schedule> schedules) {
        Map<String, ConfiguredCluster> named = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<ConfigurationProblem> problems = new ArrayList<>();
        schedules.stream().map(Schedule::cluster).distinct().forEach(name -> {
            try {
                ClusterFile file = conf.cluster(name);
                if (backends.find(file.plugin()).isEmpty()) {
                    unavailable.put(name, file.file() + ": " + backends.explainMissing(file.plugin()));
                    return;
                }
                named.put(name, clusters.cluster(name));
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        });
        for (Schedule schedule : schedules) {
            ConfiguredCluster cluster = named.get(schedule.cluster());
            if (cluster != null) {
                problems.addAll(ScheduleFileReader.checkVolumes(schedule, cluster.backend().descriptor()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new ServedClusters(named, unavailable);
    }

    /**
     * Every cluster of {@code conf/clusters/}: those that check out, and those that cannot be used now (a
     * missing plugin, a file with problems), with why.
     */
    public ServedClusters configuredClusters() {
        Map<String, ConfiguredCluster> ready = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (String name : clusters.names()) {
            try {
                ready.put(name, clusters.cluster(name));
            } catch (ConfigurationException e) {
                unavailable.put(name, e.getMessage().replace("\n", "; "));
            }
        }
        return new ServedClusters(ready, unavailable);
    }

    /**
     * The clusters a {@code serve} works with.
     *
     * @param ready       checked, with their backends loaded
     * @param unavailable named by schedules but without their backend (a missing plugin), with why
     */
    public record ServedClusters(Map<String, ConfiguredCluster> ready, Map<String, String> unavailable) {
        public ServedClusters {
            ready = Map.copyOf(ready);
            unavailable = Map.copyOf(unavailable);
        }
    }

    public BackupCatalog catalog() {
        return catalog.backups();
    }

    public CatalogDatabase database() {
        return catalog.database();
    }

    public ScheduleRunLog runLog() {
        return catalog.runLog();
    }

    public ClusterSessions sessions() {
        return sessions;
    }

    public BackupOrchestrator backups() {
        return backups;
    }

    public RestoreOrchestrator restores() {
        return restores;
    }

    /** Crash recovery: what {@code serve} cleans up in the background when it starts. */
    public CrashRecovery recovery() {
        return recovery;
    }

    /** The restores, running and ended. */
    public RestoreLog restoreLog() {
        return catalog.restores();
    }

    public DeletionOrchestrator deletions() {
        return deletions;
    }

    /** Deletes as an operator or retention asks: with {@code delete_grace}, expiring first; undelete; purge. */
    public GracePeriodDeletions graceDeletions() {
        return graceDeletions;
    }

    /** Verifies backups through their backend and records what it finds. */
    public VerifyOrchestrator verifier() {
        return verifier;
    }

    /** {@code cairn catalog rebuild}: the catalog from what a backend stored. */
    public CatalogRebuilder rebuilder() {
        return rebuilder;
    }

    /** The catalog's verify results. */
    public VerifyLog verifyLog() {
        return new VerifyLog(catalog.database());
    }

    /** The catalog's grace periods. */
    public ExpiringBackups expiring() {
        return new ExpiringBackups(catalog.database());
    }

    /** The catalog's records of imported backups. */
    public ImportLog imports() {
        return new ImportLog(catalog.database());
    }

    /** The configured cluster of a name: what purges and recoveries look clusters up with. */
    public ConfiguredCluster clusterNamed(String name) {
        return clusters.cluster(name);
    }

    /**
     * What the orchestrators and schedule firings tell of every backup, restore, retention deletion and
     * firing; {@code cairn serve}'s metrics subscribe to it.
     */
    public EventRelay events() {
        return events;
    }

    /** The backup sets in the catalog. */
    public BackupSetCatalog setCatalog() {
        return setCatalog;
    }

    /** Backup sets: volumes backed up together from one group snapshot. */
    public BackupSetOrchestrator sets() {
        return sets;
    }

    /** Restore, delete and retention of stored backup sets as wholes. */
    public BackupSetOperations setOperations() {
        return setOperations;
    }

    /** Retention: deletes what a schedule's rules no longer keep. */
    public RetentionPruner pruner() {
        return pruner;
    }

    /**
     * {@code cairn serve}: starts cleaning up after a process that died mid-work (in the background, volume
     * by volume) and firing the schedules. The service stops when the host closes, if not before.
     *
     * @throws ConfigurationException when a cluster a schedule names is invalid
     * @throws SchedulerException when the job store cannot be used
     */
    public synchronized ScheduleService serve(List<Schedule> toServe) throws SchedulerException {
        if (schedules != null) {
            throw new IllegalStateException("this host already serves its schedules");
        }
        ServedClusters served = clustersOf(toServe);
        // Recovery runs in the background, volume by volume, on every configured cluster (scheduled or
        // not); a firing claims its volume from it first.
        ServedClusters all = configuredClusters();
        recovery.start(all.ready(), all.unavailable());
        // Sets a dead process left unfinished are failed whole, in the background, once their members are free.
        Thread setRecovery = new Thread(() -> all.ready().values().forEach(cluster -> {
            try {
                recovery.awaitAll();
                sets.recoverUnfinished(cluster).forEach(line -> LOG.info("crash recovery: {}", line));
            } catch (RuntimeException e) {
                LOG.warn("crash recovery of backup sets on cluster {}: {}", cluster.name(), e.getMessage());
            }
        }), "cairn-set-recovery");
        setRecovery.setDaemon(true);
        setRecovery.start();
        ScheduleFiring firing = new ScheduleFiring(
                toServe.stream().collect(Collectors.toMap(Schedule::name, Function.identity())), served.ready(),
                served.unavailable(), sessions, recovery, backups, pruner,
                new ScheduledVerifies(verifier, catalog.backups(), new VerifyLog(catalog.database()), clock),
                catalog.runLog(), process, sets, setOperations, new TransferLimits(settings.serve().maxParallelBackups(),
                        settings.serve().maxParallelBackupsPerCluster()), clusters::cluster, events, clock);
        Scheduler scheduler = JdbcSchedulerFactory.create(catalog.database().dataSource(), catalog.database().dialect(),
                settings.serve());
        purges = ExpiryPurges.start(graceDeletions, setOperations, clusters::cluster, recovery);
        schedules = ScheduleService.start(scheduler, firing, toServe, served.unavailable(), settings.serve(), clock);
        return schedules;
    }

    /**
     * Closes, in this order: the scheduler and its backup workers (they use everything else), the backend
     * sessions, the lease renewals and the catalog's pool, then the plugins (their classes back the sessions).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (schedules != null) {
            schedules.stop();
        }
        if (purges != null) {
            purges.close();
        }
        closeQuietly("crash recovery", recovery);
        closeQuietly("the backend sessions", sessions);
        closeQuietly("the catalog", catalog);
        closeQuietly("the plugins", backends);
    }

    private static void closeQuietly(String what, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", what, e.getMessage());
        }
    }
}
