package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.Clusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code cairn serve} does first: cleans up after a process that died mid-work. For every volume
 * of every configured cluster that the catalog knows - those with unfinished records first - it takes
 * the volume's lease and lets {@link StaleBackupCleaner} finish {@code creating} and {@code deleting}
 * records through the backend and sweep backup snapshots that belong to no available backup.
 *
 * <p>A volume whose lease another live process holds is skipped (its work is in progress, or that
 * process will clean up itself); the same cleaning runs again before every backup of a volume, so
 * nothing skipped here stays for long. An unreachable cluster is reported and skipped.
 */
public final class CrashRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final Clusters clusters;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;

    public CrashRecovery(BackupCatalog catalog, VolumeLeases leases, Clusters clusters, ClusterSessions sessions,
            StaleBackupCleaner cleaner) {
        this.catalog = catalog;
        this.leases = leases;
        this.clusters = clusters;
        this.sessions = sessions;
        this.cleaner = cleaner;
    }

    /**
     * Cleans up every volume of every configured cluster that the catalog knows.
     *
     * @return one line per thing done or skipped
     */
    public List<String> run() {
        List<String> clusterNames = clusters.names();
        List<String> done = new ArrayList<>();
        List<BackupRecord> unfinished = catalog.unfinished();
        unfinished.stream().map(BackupRecord::cluster).distinct().filter(c -> !clusterNames.contains(c))
                .forEach(c -> done.add("cluster " + c + " has unfinished backups but no file in conf/clusters/; left as they are"));
        for (String name : clusterNames) {
            Set<VolumeRef> volumes = new TreeSet<>((a, b) -> a.locator().compareTo(b.locator()));
            unfinished.stream().filter(r -> r.cluster().equals(name)).map(BackupRecord::volume).forEach(volumes::add);
            volumes.addAll(catalog.volumesWithBackups(name));
            if (volumes.isEmpty()) {
                continue;
            }
            BackendSession session;
            try {
                session = sessions.session(clusters.cluster(name));
            } catch (RuntimeException e) {
                done.add("cluster " + name + " skipped: " + e.getMessage());
                continue;
            }
            for (VolumeRef volume : volumes) {
                try (VolumeLease lease = leases.acquire(name, volume, "crash recovery")) {
                    cleaner.clean(session, name, volume, catalog.history(name, volume)).done()
                            .forEach(line -> done.add("cluster " + name + ", " + volume + ": " + line));
                } catch (VolumeBusyException e) {
                    done.add("cluster " + name + ", " + volume + ": skipped, " + e.getMessage());
                } catch (RuntimeException e) {
                    done.add("cluster " + name + ", " + volume + ": " + e.getMessage());
                }
            }
        }
        done.forEach(line -> LOG.info("crash recovery: {}", line));
        return done;
    }
}
