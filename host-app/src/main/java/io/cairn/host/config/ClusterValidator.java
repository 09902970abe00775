package io.cairn.host.config;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import io.cairn.host.plugins.LoadedBackend;
import io.cairn.host.plugins.LoadedBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a cluster file against the options its backend declares: unknown keys, wrong types,
 * missing required values and an unknown plugin all become {@link ConfigurationProblem}s naming the
 * file and the key ({@code options.pool}) - all of them at once, with the file's own problems (an
 * unknown top-level key) among them.
 */
public final class ClusterValidator {

    private ClusterValidator() {
    }

    /**
     * @param confDir relative {@link OptionType#PATH} values are resolved against it, so that
     *                {@code keyring: secrets/lab.keyring} means the same from any working directory
     * @throws ConfigurationException listing every problem
     */
    public static ConfiguredCluster validate(ClusterFile cluster, LoadedBackends backends, Path confDir) {
        // Every problem of the file at once: its own (an unknown top-level key) and its options'.
        List<ConfigurationProblem> problems = new ArrayList<>(cluster.problems());
        Optional<LoadedBackend> backend = backends.find(cluster.plugin());
        if (backend.isEmpty()) {
            problems.add(new ConfigurationProblem(cluster.file(), "plugin", backends.explainMissing(cluster.plugin())));
            throw new ConfigurationException(problems);
        }
        OptionValues values = null;
        try {
            values = backend.get().descriptor().options().validate(resolvePaths(cluster.options(), backend.get(), confDir));
        } catch (InvalidConfigurationException e) {
            problems.addAll(ConfigurationException.inClusterFile(cluster.file(), e).problems());
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new ConfiguredCluster(cluster.name(), cluster.file(), backend.get(), values);
    }

    private static Map<String, Object> resolvePaths(Map<String, Object> raw, LoadedBackend backend, Path confDir) {
        Map<String, Object> resolved = new LinkedHashMap<>(raw);
        raw.forEach((key, value) -> {
            Optional<OptionDefinition> definition = backend.descriptor().options().find(key);
            if (definition.isPresent() && definition.get().type() == OptionType.PATH
                    && value instanceof String text && !text.isBlank() && !Path.of(text.trim()).isAbsolute()) {
                resolved.put(key, confDir.resolve(text.trim()).normalize().toString());
            }
        });
        return resolved;
    }
}
