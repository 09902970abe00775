package io.cairn.host.testing;

import io.cairn.host.catalog.CatalogDialect;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.config.HostOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A fresh, empty catalog of each kind for the catalog's contract tests: the embedded SQLite file (the
 * default), an H2 file (earlier versions' embedded catalog) and a new database on the JVM's real
 * {@link TestPostgres} server.
 */
public final class TestCatalogs {

    private TestCatalogs() {
    }

    /** Settings for a new catalog of this kind; file databases go into {@code dir}. */
    public static CatalogSettings fresh(CatalogDialect kind, Path dir) {
        return fresh(kind, dir, CatalogSettings.DEFAULT_TIMEOUT);
    }

    public static CatalogSettings fresh(CatalogDialect kind, Path dir, Duration timeout) {
        return switch (kind) {
            case SQLITE -> new CatalogSettings(HostOptions.embeddedUrl(dir), Optional.empty(), Optional.empty(), timeout);
            case H2 -> new CatalogSettings("jdbc:h2:file:" + dir.resolve("catalog") + ";AUTO_SERVER=TRUE", Optional.empty(),
                    Optional.empty(), timeout);
            case POSTGRESQL -> {
                TestPostgres.Database database = TestPostgres.shared().createDatabase();
                yield new CatalogSettings(database.url(), Optional.of(database.user()), Optional.of(database.password()),
                        timeout);
            }
        };
    }

    /** The lines of {@code cairn.yaml} for a new catalog of this kind ({@code data_dir}'s default for SQLite). */
    public static String yaml(CatalogDialect kind, Path dir) {
        return switch (kind) {
            case SQLITE -> "";
            case H2 -> "catalog_url: jdbc:h2:file:" + dir.resolve("catalog") + ";AUTO_SERVER=TRUE\n";
            case POSTGRESQL -> TestPostgres.shared().createDatabase().yaml();
        };
    }
}
