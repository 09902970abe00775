package io.cairn.host.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the catalog's schema up to date with the Flyway migrations in {@code db/migration}.
 *
 * <p>Every command opens the catalog, and almost always its schema is already current. Flyway itself would
 * load, scan the class path and validate every migration each time - about half of a {@code cairn list}'s
 * start-up. So the versions applied (Flyway's history table) are first compared with the versions this
 * build carries; only when they differ in any way (a new catalog, a newer build, an older build, a failed
 * migration) does Flyway run, and it then migrates, or validates and explains.
 */
final class SchemaMigrations {

    static final String LOCATION = "db/migration";
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]*\\.sql");
    private static final int ATTEMPTS = 3;

    private SchemaMigrations() {
    }

    /**
     * Migrates when needed. Two processes opening a new catalog at the same moment (the first {@code cairn serve}
     * and a {@code cairn list}) may both start the same migration; the loser fails on a table the winner just
     * created, and on a second look finds the schema up to date.
     *
     * @throws FlywayException when the schema cannot be brought up to date
     */
    static void bringUpToDate(DataSource dataSource) {
        if (isCurrent(dataSource)) {
            return;
        }
        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:" + LOCATION).load();
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlywayException("interrupted while migrating the catalog schema", e);
            }
        }
    }

    /** Whether exactly the versions this build carries have been applied, all successfully. */
    static boolean isCurrent(DataSource dataSource) {
        Set<String> bundled = bundledVersions();
        Set<String> applied = new TreeSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return false;
                }
                applied.add(rows.getString(1));
            }
        } catch (SQLException e) {
            // No history table (a new catalog) or one Flyway must look at: let Flyway decide.
            return false;
        }
        return !bundled.isEmpty() && bundled.equals(applied);
    }

    /** The versions of the migrations on the class path ({@code V5__x.sql} is "5", {@code V1_1__x.sql} "1.1"). */
    static Set<String> bundledVersions() {
        Set<String> versions = new TreeSet<>();
        try {
            Enumeration<URL> locations = SchemaMigrations.class.getClassLoader().getResources(LOCATION);
            while (locations.hasMoreElements()) {
                URL location = locations.nextElement();
                for (String name : fileNames(location)) {
                    Matcher m = VERSIONED.matcher(name);
                    if (m.matches()) {
                        versions.add(m.group(1).replace('_', '.'));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the catalog's migrations", e);
        }
        return versions;
    }

    private static Set<String> fileNames(URL location) throws IOException {
        Set<String> names = new TreeSet<>();
        if ("jar".equals(location.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) location.openConnection();
            connection.setUseCaches(true);
            JarFile jar = connection.getJarFile();
            String prefix = LOCATION + "/";
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String entry = entries.nextElement().getName();
                if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0) {
                    names.add(entry.substring(prefix.length()));
                }
            }
        } else if ("file".equals(location.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
                files.forEach(file -> names.add(file.getFileName().toString()));
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        return names;
    }
}
