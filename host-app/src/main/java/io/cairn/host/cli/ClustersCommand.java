package io.cairn.host.cli;

import io.cairn.api.BackendSession;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.host.backup.ClusterSessions;
import io.cairn.host.config.ClusterFile;
import io.cairn.host.config.Clusters;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.plugins.LoadedBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn clusters}: each configured cluster, whether its file is valid, and whether it answers.
 * Clusters are contacted in parallel, so one unreachable cluster costs its timeout once, not per cluster.
 * Exit code 2 when a cluster file is invalid - also when the backend, opening the session, finds the
 * values wrong together ({@link InvalidConfigurationException}) - else 1 when a cluster is unreachable.
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
        return views.stream().anyMatch(v -> Boolean.FALSE.equals(v.reachable())) ? ErrorReport.FAILED : ErrorReport.OK;
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
                    false, problems(e), null, null, Map.of());
        }
        Boolean reachable = null;
        String detail = null;
        if (!offline) {
            try (BackendSession session = ClusterSessions.open(cluster)) {
                reachable = true;
                detail = session.describe();
            } catch (InvalidConfigurationException e) {
                // The backend found the values wrong together (a conf file that does not exist, ...):
                // a configuration error, as for `backup`, not an unreachable cluster.
                return new ClusterView(name, cluster.file().toString(), plugin, false,
                        problems(ConfigurationException.inClusterFile(cluster.file(), e)), null, null, cluster.options().displayAll());
            } catch (RuntimeException e) {
                reachable = false;
                detail = e.getMessage();
            }
        }
        return new ClusterView(name, cluster.file().toString(), plugin, true, List.of(), reachable, detail,
                cluster.options().displayAll());
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
            } else if (view.reachable()) {
                text.append("ok, ").append(view.detail()).append('\n');
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
     * @param reachable null when not contacted (invalid, or {@code --offline})
     * @param options   the validated options, secrets shown as {@code [hidden]}
     */
    record ClusterView(String name, String file, String plugin, boolean valid, List<String> problems, Boolean reachable,
            String detail, Map<String, String> options) {
    }
}
