package io.cairn.host.config;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of {@code cairn.yaml}, declared with the same typed options a backend uses for its
 * cluster files: one declaration gives parsing, validation, "did you mean" hints, secret masking and
 * the configuration reference in the docs.
 */
public final class HostOptions {

    /** The file name of the host's settings inside the conf directory. */
    public static final String FILE_NAME = "cairn.yaml";

    static final String PLUGINS_DIR = "plugins_dir";
    static final String DATA_DIR = "data_dir";
    static final String CATALOG_URL = "catalog_url";
    static final String CATALOG_USER = "catalog_user";
    static final String CATALOG_PASSWORD = "catalog_password";
    static final String VOLUME_LEASE = "volume_lease";
    private static final Duration MINIMUM_LEASE = Duration.ofSeconds(10);

    /** Every key {@code cairn.yaml} may set. */
    public static final OptionDefinitions DEFINITIONS = OptionDefinitions.of(
            OptionDefinition.builder(PLUGINS_DIR, OptionType.PATH).defaultValue("../plugins")
                    .doc("Directory scanned for backend plugin JARs at start. Relative paths are taken from"
                            + " the conf directory.")
                    .build(),
            OptionDefinition.builder(DATA_DIR, OptionType.PATH).defaultValue("../data")
                    .doc("Directory for the host's own state; the embedded catalog database lives here."
                            + " Created when missing.")
                    .build(),
            OptionDefinition.builder(CATALOG_URL, OptionType.STRING)
                    .doc("JDBC URL of the backup catalog. Default: an embedded H2 database in"
                            + " data_dir/catalog (AUTO_SERVER mode, so several cairn commands can use it"
                            + " at once).")
                    .build(),
            OptionDefinition.builder(CATALOG_USER, OptionType.STRING)
                    .doc("Database user for catalog_url, when the database wants one.")
                    .build(),
            OptionDefinition.builder(CATALOG_PASSWORD, OptionType.STRING).secret()
                    .doc("Database password for catalog_url.")
                    .build(),
            OptionDefinition.builder(VOLUME_LEASE, OptionType.DURATION).defaultValue("2m")
                    .doc("How long the lock on a volume lasts between renewals. A running backup renews it"
                            + " every third of this; the lock of a killed process expires after it.")
                    .build());

    private HostOptions() {
    }

    /**
     * Reads and checks {@code cairn.yaml}.
     *
     * @throws ConfigurationException naming the file, each bad key and why
     */
    static HostSettings read(Path confDir) {
        Path file = confDir.resolve(FILE_NAME);
        Map<String, Object> raw = YamlMappingReader.read(file);
        OptionValues values;
        try {
            values = DEFINITIONS.validate(raw);
        } catch (InvalidConfigurationException e) {
            List<ConfigurationProblem> problems = new ArrayList<>();
            e.problems().forEach(p -> problems.add(new ConfigurationProblem(file, p.key(), p.reason())));
            throw new ConfigurationException(problems);
        }
        Path pluginsDir = confDir.resolve(values.path(PLUGINS_DIR)).normalize();
        Path dataDir = confDir.resolve(values.path(DATA_DIR)).normalize();
        String url = values.optionalString(CATALOG_URL).orElseGet(() -> defaultCatalogUrl(dataDir));
        if (!url.startsWith("jdbc:")) {
            throw new ConfigurationException(new ConfigurationProblem(file, CATALOG_URL,
                    "must be a JDBC URL starting with 'jdbc:', for example jdbc:postgresql://db/cairn"));
        }
        if (values.duration(VOLUME_LEASE).compareTo(MINIMUM_LEASE) < 0) {
            throw new ConfigurationException(new ConfigurationProblem(file, VOLUME_LEASE,
                    "must be at least 10s, so that renewals keep up with it"));
        }
        Optional<String> user = values.optionalString(CATALOG_USER);
        Optional<String> password = values.optionalString(CATALOG_PASSWORD);
        return new HostSettings(confDir, pluginsDir, dataDir, new CatalogSettings(url, user, password),
                values.duration(VOLUME_LEASE));
    }

    /**
     * An H2 file database under the data directory. AUTO_SERVER lets a second process (a
     * {@code cairn list} next to a running backup) share the file instead of failing on its lock.
     */
    static String defaultCatalogUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("catalog") + ";AUTO_SERVER=TRUE";
    }
}
