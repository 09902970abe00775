package io.cairn.host.cli;

import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.config.ClusterFile;
import io.cairn.host.config.Clusters;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.plugins.LoadedBackends;
import io.cairn.host.schedule.Schedule;
import io.cairn.host.schedule.ScheduleFileReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn clusters}: each configured cluster, whether its file is valid (every problem of it at
 * once), whether it answers, and whether its users may do what backups need there - read and snapshot
 * the volumes of the namespaces its schedules name, write backup storage
 * ({@link BackendSession#checkAccess}). Clusters are contacted in parallel, so one unreachable cluster
 * costs its timeout once, not per cluster. Exit code 2 when a cluster file is invalid - also when the
 * backend, opening the session, finds the values wrong together ({@link InvalidConfigurationException},
 * a wrong key among them) - else 1 when a cluster is unreachable or lacks an access backups need.
 */
@Command(mixinStandardHelpOptions = true, name = "clusters", description = "List configured clusters; check their config and whether they answer.")
final class ClustersCommand extends BackendsCommand {

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Option(names = "--offline", description = "Only check the configuration; do not contact the clusters.")
    private boolean offline;

    @Override
    int run(ConfDirectory conf, LoadedBackends backends) {
        Clusters clusters = new Clusters(conf, backends);
        List<String> names = clusters.names();
        // One thread per cluster: the checks wait on the network, not the CPU.
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, names.size()));
        List<ClusterView> views;
        try {
            List<CompletableFuture<ClusterView>> checks = new ArrayList<>();
            for (String name : names) {
                checks.add(CompletableFuture.supplyAsync(() -> check(conf, clusters, name), threads));
            }
            views = checks.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }
        if (json) {
            out().println(JsonOutput.write(views));
        } else {
            out().print(text(views, conf));
        }
        if (views.stream().anyMatch(v -> !v.valid())) {
            return ErrorReport.USAGE;
        }
        boolean failed = views.stream().anyMatch(v -> Boolean.FALSE.equals(v.reachable())
                || (v.accessMissing() != null && !v.accessMissing().isEmpty()));
        return failed ? ErrorReport.FAILED : ErrorReport.OK;
    }

    private ClusterView check(ConfDirectory conf, Clusters clusters, String name) {
        String plugin = null;
        ConfiguredCluster cluster;
        try {
            ClusterFile file = conf.cluster(name);
            plugin = file.plugin();
            cluster = clusters.cluster(name);
        } catch (ConfigurationException e) {
            return new ClusterView(name, conf.path().resolve("clusters").resolve(name + ".yaml").toString(), plugin,
                    false, problems(e), null, null, null, Map.of());
        }
        Boolean reachable = null;
        String detail = null;
        List<String> accessMissing = null;
        if (!offline) {
            try (BackendSession session = ClusterSessions.open(cluster)) {
                detail = session.describe();
                accessMissing = checkAccess(session, cluster, sourceNamespaces(conf, cluster));
                reachable = true;
            } catch (InvalidConfigurationException e) {
                // The backend found the values wrong together (a conf file that does not exist, ...):
                // a configuration error, as for `backup`, not an unreachable cluster.
                return new ClusterView(name, cluster.file().toString(), plugin, false,
                        problems(ConfigurationException.inClusterFile(cluster.file(), e)), null, null, null,
                        cluster.options().displayAll());
            } catch (RuntimeException e) {
                reachable = false;
                detail = e.getMessage();
            }
        }
        return new ClusterView(name, cluster.file().toString(), plugin, true, List.of(), reachable, detail,
                accessMissing, cluster.options().displayAll());
    }

    /** The access check runs plugin code: with the plugin's class loader as context, as opening does. */
    private static List<String> checkAccess(BackendSession session, ConfiguredCluster cluster, Set<String> namespaces) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(cluster.backend().descriptor().getClass().getClassLoader());
        try {
            return List.copyOf(session.checkAccess(namespaces));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The namespaces (pools, for Ceph) whose volumes the schedules of {@code cluster} back up. A schedule
     * file that cannot be read is left out here; {@code cairn schedules} reports it.
     */
    private static Set<String> sourceNamespaces(ConfDirectory conf, ConfiguredCluster cluster) {
        VolumeNaming naming = cluster.backend().descriptor().volumeNaming();
        Set<String> namespaces = new TreeSet<>();
        for (String name : conf.scheduleNames()) {
            try {
                Schedule schedule = ScheduleFileReader.read(conf, name);
                if (schedule.cluster().equals(cluster.name())) {
                    schedule.volumes().stream().filter(selector -> !selector.isFile())
                            .map(selector -> selector.namespace(naming)).filter(namespace -> !namespace.isEmpty())
                            .forEach(namespaces::add);
                }
            } catch (ConfigurationException e) {
                // reported by `cairn schedules`
            }
        }
        return namespaces;
    }

    private static List<String> problems(ConfigurationException e) {
        return e.problems().stream().map(p -> p.key().isEmpty() ? p.reason() : p.key() + ": " + p.reason()).toList();
    }

    private static String text(List<ClusterView> views, ConfDirectory conf) {
        if (views.isEmpty()) {
            return "no clusters configured in " + conf.path().resolve("clusters") + "\n";
        }
        StringBuilder text = new StringBuilder();
        for (ClusterView view : views) {
            text.append(view.name()).append(" (").append(view.plugin() == null ? "?" : view.plugin()).append("): ");
            if (!view.valid()) {
                text.append("invalid configuration in ").append(view.file()).append('\n');
                view.problems().forEach(p -> text.append("  ").append(p).append('\n'));
                continue;
            }
            if (view.reachable() == null) {
                text.append("configuration valid (not contacted)\n");
            } else if (view.reachable() && view.accessMissing().isEmpty()) {
                text.append("ok, ").append(view.detail()).append('\n');
            } else if (view.reachable()) {
                text.append("ACCESS MISSING, ").append(view.detail()).append('\n');
                view.accessMissing().forEach(line -> text.append("  missing: ").append(line).append('\n'));
            } else {
                text.append("UNREACHABLE: ").append(view.detail()).append('\n');
            }
            view.options().forEach((key, value) -> text.append("  ").append(key).append(" = ").append(value).append('\n'));
        }
        return text.toString();
    }

    /**
     * One cluster in {@code cairn clusters --json}.
     *
     * @param reachable     null when not contacted (invalid, or {@code --offline})
     * @param accessMissing what the users may not do that backups need; null when not checked
     * @param options       the validated options, secrets shown as {@code [hidden]}
     */
    record ClusterView(String name, String file, String plugin, boolean valid, List<String> problems, Boolean reachable,
            String detail, List<String> accessMissing, Map<String, String> options) {
    }
}
