package io.cairn.host.config;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import io.cairn.api.option.OptionValues;
import java.net.InetSocketAddress;
import java.nio.file.Files;
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
    /** The embedded catalog's file name inside {@code data_dir}. */
    public static final String EMBEDDED_FILE = "catalog.db";
    private static final String LEGACY_H2_FILE = "catalog.mv.db";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    static final String PLUGINS_DIR = "plugins_dir";
    static final String DATA_DIR = "data_dir";
    static final String CATALOG_URL = "catalog_url";
    static final String CATALOG_USER = "catalog_user";
    static final String CATALOG_PASSWORD = "catalog_password";
    static final String CATALOG_TIMEOUT = "catalog_timeout";
    static final String VOLUME_LEASE = "volume_lease";
    static final String MAX_PARALLEL_BACKUPS = "max_parallel_backups";
    static final String MAX_PARALLEL_BACKUPS_PER_CLUSTER = "max_parallel_backups_per_cluster";
    static final String MISFIRE_THRESHOLD = "misfire_threshold";
    static final String SCHEDULER_CLUSTERED = "scheduler_clustered";
    static final String STOP_TIMEOUT = "stop_timeout";
    static final String DELETE_GRACE = "delete_grace";
    static final String HTTP_LISTEN = "http_listen";
    static final String HTTP_TOKEN = "http_token";
    /** Long enough that guessing it over the network is hopeless. */
    static final int MINIMUM_TOKEN_LENGTH = 16;
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
                    .doc("JDBC URL of the backup catalog: jdbc:postgresql://HOST[:PORT]/DATABASE for a catalog"
                            + " several hosts share. Default: an embedded SQLite database, data_dir/catalog.db, which"
                            + " every cairn command on this host opens directly (no process serves it to the others).")
                    .build(),
            OptionDefinition.builder(CATALOG_USER, OptionType.STRING)
                    .doc("Database user for catalog_url, when the database wants one.")
                    .build(),
            OptionDefinition.builder(CATALOG_PASSWORD, OptionType.STRING).secret()
                    .doc("Database password for catalog_url.")
                    .build(),
            OptionDefinition.builder(CATALOG_TIMEOUT, OptionType.DURATION).defaultValue("60s")
                    .doc("Longest wait for the catalog: for a connection, for a lock another process holds, for an"
                            + " answer. A command that waits longer fails with an error naming the catalog; a"
                            + " database server restarting within this time is ridden out.")
                    .build(),
            OptionDefinition.builder(VOLUME_LEASE, OptionType.DURATION).defaultValue("2m")
                    .doc("How long the lock on a volume lasts between renewals. A running backup renews it"
                            + " every third of this; the lock of a killed process expires after it (at once for a"
                            + " dead process on the same host).")
                    .build(),
            OptionDefinition.builder(MAX_PARALLEL_BACKUPS, OptionType.INTEGER).defaultValue("4").minimum(1).maximum(256)
                    .doc("cairn serve: backups running at once on this host, over all clusters; further volumes"
                            + " of a firing wait for a free slot.")
                    .build(),
            OptionDefinition.builder(MAX_PARALLEL_BACKUPS_PER_CLUSTER, OptionType.INTEGER).defaultValue("2").minimum(1)
                    .maximum(256)
                    .doc("cairn serve: backups running at once on this host against any one cluster, so that one"
                            + " cluster's schedules cannot take every slot.")
                    .build(),
            OptionDefinition.builder(MISFIRE_THRESHOLD, OptionType.DURATION).defaultValue("60s")
                    .doc("cairn serve: a firing that cannot start within this long of its time (the host was down,"
                            + " or the schedule's previous firing still ran) counts as missed; missed firings of a"
                            + " schedule run once, as soon as possible, not once per missed time.")
                    .build(),
            OptionDefinition.builder(SCHEDULER_CLUSTERED, OptionType.BOOLEAN).defaultValue("false")
                    .doc("cairn serve: several hosts share catalog_url (PostgreSQL) and its schedules; each firing"
                            + " runs on one of them, and a surviving host takes over a dead one's. Needs a PostgreSQL"
                            + " catalog_url and synchronised clocks.")
                    .build(),
            OptionDefinition.builder(DELETE_GRACE, OptionType.DURATION).defaultValue("0s")
                    .doc("How long a deleted or pruned backup is kept before it is removed for good: it is expiring,"
                            + " hidden from list, and cairn undelete brings it back; serve (every minute, sooner for a"
                            + " short grace) or cairn"
                            + " purge removes it once this has passed. 0s removes at once; what an earlier, longer"
                            + " grace left expiring keeps the end it was given, and serve still purges it then.")
                    .build(),
            OptionDefinition.builder(STOP_TIMEOUT, OptionType.DURATION).defaultValue("10m")
                    .doc("cairn serve: on SIGTERM no new backup starts; running ones get this long to finish."
                            + " Backups still running then are cleaned up at the next start.")
                    .build(),
            OptionDefinition.builder(HTTP_LISTEN, OptionType.STRING).defaultValue("127.0.0.1:9464")
                    .doc("cairn serve: HOST:PORT of its HTTP endpoint - Prometheus metrics (/metrics), health"
                            + " (/healthz), the JSON API (/api/v1) and the dashboard (/). Empty (\"\") turns it off;"
                            + " port 0 takes a free port (logged at start). An address other than loopback needs"
                            + " http_token.")
                    .build(),
            OptionDefinition.builder(HTTP_TOKEN, OptionType.STRING).secret()
                    .doc("cairn serve: the bearer token (at least " + MINIMUM_TOKEN_LENGTH + " characters) that"
                            + " POST requests of the HTTP API - running a schedule, starting a backup - must send as"
                            + " 'Authorization: Bearer TOKEN'. Without it they are refused.")
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
        Optional<String> notice = values.optionalString(CATALOG_URL).isPresent() || !url.equals(legacyH2Url(dataDir))
                ? Optional.empty()
                : Optional.of(dataDir + " holds an H2 catalog from an earlier Cairn; it is still used, but a frozen cairn"
                        + " process can block every other one on it. Move it, with cairn serve stopped: cairn catalog"
                        + " copy --to embedded");
        if (!url.startsWith("jdbc:")) {
            throw new ConfigurationException(new ConfigurationProblem(file, CATALOG_URL,
                    "must be a JDBC URL starting with 'jdbc:', for example jdbc:postgresql://db/cairn"));
        }
        if (values.bool(SCHEDULER_CLUSTERED) && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw new ConfigurationException(new ConfigurationProblem(file, SCHEDULER_CLUSTERED,
                    "needs a catalog every host reaches: set catalog_url to a PostgreSQL database"
                            + " (jdbc:postgresql://HOST/DATABASE); the catalog now is " + CatalogSettings.displayUrl(url)));
        }
        if (values.duration(CATALOG_TIMEOUT).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException(new ConfigurationProblem(file, CATALOG_TIMEOUT, "must be at least 1s"));
        }
        if (values.duration(VOLUME_LEASE).compareTo(MINIMUM_LEASE) < 0) {
            throw new ConfigurationException(new ConfigurationProblem(file, VOLUME_LEASE,
                    "must be at least 10s, so that renewals keep up with it"));
        }
        Optional<String> user = values.optionalString(CATALOG_USER);
        Optional<String> password = values.optionalString(CATALOG_PASSWORD);
        if (values.duration(MISFIRE_THRESHOLD).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException(new ConfigurationProblem(file, MISFIRE_THRESHOLD, "must be at least 1s"));
        }
        ServeSettings serve = new ServeSettings(values.integer(MAX_PARALLEL_BACKUPS),
                values.integer(MAX_PARALLEL_BACKUPS_PER_CLUSTER), values.duration(MISFIRE_THRESHOLD),
                values.bool(SCHEDULER_CLUSTERED), values.duration(STOP_TIMEOUT));
        return new HostSettings(confDir, pluginsDir, dataDir, new CatalogSettings(url, user, password,
                values.duration(CATALOG_TIMEOUT), notice), values.duration(VOLUME_LEASE), serve, http(file, values),
                values.duration(DELETE_GRACE));
    }

    /**
     * {@code http_listen} and {@code http_token}: an address anyone but this machine can reach needs a
     * token, and a token must be long enough. Messages never repeat the token.
     */
    private static HttpSettings http(Path file, OptionValues values) {
        Optional<String> token = values.optionalString(HTTP_TOKEN);
        if (token.isPresent() && token.get().strip().length() < MINIMUM_TOKEN_LENGTH) {
            throw new ConfigurationException(new ConfigurationProblem(file, HTTP_TOKEN, "must be at least "
                    + MINIMUM_TOKEN_LENGTH + " characters long (for example the output of 'openssl rand -hex 24')"));
        }
        String listen = values.string(HTTP_LISTEN).strip();
        if (listen.isEmpty()) {
            return new HttpSettings(Optional.empty(), token.map(String::strip));
        }
        InetSocketAddress address;
        try {
            address = ListenAddress.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(new ConfigurationProblem(file, HTTP_LISTEN, e.getMessage()));
        }
        if (!address.getAddress().isLoopbackAddress() && token.isEmpty()) {
            throw new ConfigurationException(new ConfigurationProblem(file, HTTP_LISTEN, "'" + listen
                    + "' is reachable from other machines: set http_token too, or listen on loopback"
                    + " (127.0.0.1:9464)"));
        }
        return new HttpSettings(Optional.of(address), token.map(String::strip));
    }

    /**
     * The embedded catalog: an SQLite file, {@code data_dir/catalog.db}. Every cairn process on the host opens
     * it directly and the operating system's file locks keep them apart (see {@code CatalogDialect.SQLITE}),
     * so no process is the one the others depend on: a frozen or killed {@code cairn} cannot hold up the
     * rest, which the H2 {@code AUTO_SERVER} mode of earlier versions could (its first process served the
     * file to all others).
     *
     * <p>A data directory that still holds only an earlier version's H2 catalog ({@code catalog.mv.db}) keeps
     * being used, with a warning, until {@code cairn catalog copy --to embedded} has moved it.
     */
    static String defaultCatalogUrl(Path dataDir) {
        Path sqlite = dataDir.resolve(EMBEDDED_FILE);
        if (!Files.exists(sqlite) && Files.exists(dataDir.resolve(LEGACY_H2_FILE))) {
            return legacyH2Url(dataDir);
        }
        return embeddedUrl(dataDir);
    }

    /** The embedded SQLite catalog of a data directory. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve(EMBEDDED_FILE);
    }

    /**
     * The H2 catalog earlier versions kept in a data directory (the URL they used: AUTO_SERVER to share the file,
     * WRITE_DELAY=0 so a killed process loses no commit, {@code retry:} so an interrupted thread does not close it).
     */
    static String legacyH2Url(Path dataDir) {
        return "jdbc:h2:retry:" + dataDir.resolve("catalog") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }
}
