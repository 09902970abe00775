package io.cairn.host.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code conf/clusters/<name>.yaml}, read but not yet checked against its plugin's options.
 *
 * @param name    the cluster's name: the file name without {@code .yaml}
 * @param file    the file
 * @param plugin  the backend id from {@code plugin:}
 * @param options  the {@code options:} mapping as YAML typed it
 * @param problems what is wrong with the file that does not stop its options from being checked (an
 *                 unknown top-level key, a file name that cannot name a cluster):
 *                 {@link ClusterValidator} reports them together with the options' own, so that one
 *                 look shows everything wrong with the file
 */
public record ClusterFile(String name, Path file, String plugin, Map<String, Object> options,
        List<ConfigurationProblem> problems) {

    public ClusterFile {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(plugin, "plugin is null");
        // Values may be null (a key with no value), which Map.copyOf refuses.
        options = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(options, "options is null")));
        problems = List.copyOf(Objects.requireNonNull(problems, "problems is null"));
    }

    /** A file without problems of its own. */
    public ClusterFile(String name, Path file, String plugin, Map<String, Object> options) {
        this(name, file, plugin, options, List.of());
    }
}
