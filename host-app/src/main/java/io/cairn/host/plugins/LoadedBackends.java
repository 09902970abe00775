package io.cairn.host.plugins;

import io.cairn.host.config.ConfigurationProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.pf4j.PluginManager;

/**
 * The outcome of scanning the plugins directory: the backends that loaded and the JARs that were
 * refused. Closing it unloads the plugins and their class loaders.
 */
public final class LoadedBackends implements AutoCloseable {

    private final Path pluginsDir;
    private final List<LoadedBackend> backends;
    private final List<ConfigurationProblem> refusals;
    private final PluginManager pluginManager;

    LoadedBackends(Path pluginsDir, List<LoadedBackend> backends, List<ConfigurationProblem> refusals, PluginManager pluginManager) {
        this.pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir is null");
        this.backends = List.copyOf(backends);
        this.refusals = List.copyOf(refusals);
        this.pluginManager = pluginManager;
    }

    /** The directory that was scanned. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** Backends that loaded, in file-name order. */
    public List<LoadedBackend> all() {
        return backends;
    }

    /** JARs that were skipped, and why: each a problem with one file of the plugins directory (key empty). */
    public List<ConfigurationProblem> refusals() {
        return refusals;
    }

    /** The backend cluster files name with {@code plugin: <backendId>}. */
    public Optional<LoadedBackend> find(String backendId) {
        return backends.stream().filter(b -> b.backendId().equals(backendId)).findFirst();
    }

    /**
     * Why no backend {@code backendId} is available, for an error message: the refusals, or what
     * did load.
     */
    public String explainMissing(String backendId) {
        StringBuilder text = new StringBuilder("no loaded plugin provides backend '" + backendId + "'");
        if (backends.isEmpty()) {
            text.append("; no plugin loaded from ").append(pluginsDir);
        } else {
            text.append("; loaded: ").append(backends.stream().map(LoadedBackend::backendId)
                    .collect(Collectors.joining(", ")));
        }
        if (!refusals.isEmpty()) {
            text.append("; refused: ").append(refusals.stream().map(ConfigurationProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        return text.toString();
    }

    @Override
    public void close() {
        if (pluginManager != null) {
            pluginManager.stopPlugins();
            pluginManager.unloadPlugins();
        }
    }
}
