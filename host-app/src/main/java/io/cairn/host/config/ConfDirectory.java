package io.cairn.host.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration directory: {@code cairn.yaml}, {@code clusters/<name>.yaml} and
 * {@code schedules/<name>.yaml}.
 *
 * <p>Relative paths in any of these files are resolved against this directory, so a conf directory
 * means the same wherever the command is run from.
 */
public final class ConfDirectory {

    static final String CLUSTERS = "clusters";
    static final String SCHEDULES = "schedules";
    private static final String SUFFIX = ".yaml";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Path dir;

    private ConfDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * @throws ConfigurationException when the directory does not exist
     */
    public static ConfDirectory at(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ConfigurationException(new ConfigurationProblem(absolute, "",
                    "conf directory does not exist (choose one with --conf DIR or CAIRN_CONF)"));
        }
        return new ConfDirectory(absolute);
    }

    public Path path() {
        return dir;
    }

    /** Reads {@code cairn.yaml}. */
    public HostSettings hostSettings() {
        return HostOptions.read(dir);
    }

    /** The names of the configured clusters, sorted. */
    public List<String> clusterNames() {
        return namesIn(dir.resolve(CLUSTERS));
    }

    /** The names of the schedule files, sorted; {@code io.cairn.host.schedule.ScheduleFileReader} reads them. */
    public List<String> scheduleNames() {
        return namesIn(dir.resolve(SCHEDULES));
    }

    /**
     * Reads one cluster file. Problems that leave its plugin and options readable (an unknown top-level
     * key, a bad file name) come with the result, for {@link ClusterValidator} to report together with
     * the options' own.
     *
     * @throws ConfigurationException when there is no such cluster, or its plugin or options cannot be
     *         read (listing every problem of the file)
     */
    public ClusterFile cluster(String name) {
        return ClusterFileReader.read(name, existingFile(CLUSTERS, "cluster", name, clusterNames()));
    }

    /**
     * The file of one schedule.
     *
     * @throws ConfigurationException when there is no such schedule
     */
    public Path scheduleFile(String name) {
        return existingFile(SCHEDULES, "schedule", name, scheduleNames());
    }

    /** {@code folder/<name>.yaml}, or a problem naming the ones there are. */
    private Path existingFile(String folder, String kind, String name, List<String> known) {
        Path file = dir.resolve(folder).resolve(name + SUFFIX);
        // A name is a file name, never a path: "../x" must not reach outside the folder.
        if (name.contains("/") || name.contains("\\") || !Files.isRegularFile(file)) {
            throw new ConfigurationException(new ConfigurationProblem(dir.resolve(folder), "",
                    "no " + kind + " named '" + name + "' (configured: "
                            + (known.isEmpty() ? "none" : String.join(", ", known)) + ")"));
        }
        return file;
    }

    private static List<String> namesIn(Path folder) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                names.add(fileName.substring(0, fileName.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new ConfigurationException(new ConfigurationProblem(folder, "", "cannot be listed: " + e.getMessage()));
        }
        names.sort(null);
        return names;
    }

    /** Whether {@code name} may name a cluster or schedule (it becomes part of file names, job names and messages). */
    public static boolean isValidName(String name) {
        return CLUSTER_NAME.matcher(name).matches();
    }

    /** Parses the two top-level keys of a cluster file; the options are checked later, against the plugin. */
    static final class ClusterFileReader {

        private static final String PLUGIN = "plugin";
        private static final String OPTIONS = "options";

        private ClusterFileReader() {
        }

        static ClusterFile read(String name, Path file) {
            Map<String, Object> raw = YamlMappingReader.read(file);
            List<ConfigurationProblem> problems = new ArrayList<>();
            for (String key : raw.keySet()) {
                if (!key.equals(PLUGIN) && !key.equals(OPTIONS)) {
                    problems.add(new ConfigurationProblem(file, key, "unknown key; a cluster file has 'plugin'"
                            + " (the backend) and 'options' (its settings)"));
                }
            }
            Object plugin = raw.get(PLUGIN);
            if (plugin == null) {
                problems.add(new ConfigurationProblem(file, PLUGIN, "required, but not set (the backend, for example 'ceph';"
                        + " `cairn plugins` lists them)"));
            } else if (!(plugin instanceof String)) {
                problems.add(new ConfigurationProblem(file, PLUGIN, "expected a plugin id such as 'ceph', got " + plugin));
            }
            Object options = raw.get(OPTIONS);
            if (options != null && !(options instanceof Map)) {
                problems.add(new ConfigurationProblem(file, OPTIONS, "expected a mapping of option names to values"));
            }
            if (!isValidName(name)) {
                problems.add(new ConfigurationProblem(file, "", "the file name must be lowercase letters, digits,"
                        + " '-' or '_' (it names the cluster)"));
            }
            boolean readable = plugin instanceof String && (options == null || options instanceof Map);
            if (!readable) {
                throw new ConfigurationException(problems);
            }
            Map<String, Object> optionValues = new LinkedHashMap<>();
            if (options instanceof Map<?, ?> mapping) {
                mapping.forEach((key, value) -> optionValues.put(String.valueOf(key), value));
            }
            return new ClusterFile(name, file, (String) plugin, optionValues, problems);
        }
    }
}
