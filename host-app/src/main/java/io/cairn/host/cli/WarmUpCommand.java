package io.cairn.host.cli;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupFilter;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.plugins.BackendLoader;
import io.cairn.host.plugins.LoadedBackends;
import io.cairn.host.view.BackupView;
import io.cairn.host.config.HostOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn warm-up} (hidden): touches what every command loads - plugins, a throwaway catalog with
 * its migrations, JSON and text output - so that the launcher, running it once after a build under
 * {@code -XX:ArchiveClassesAtExit}, records a class data sharing archive that serves all commands.
 */
@Command(name = "warm-up", hidden = true, description = "Load the classes commands use (for the launcher's CDS archive).")
final class WarmUpCommand implements Callable<Integer> {

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins directory to load.")
    private Path plugins;

    @Override
    public Integer call() {
        if (plugins != null) {
            try (LoadedBackends backends = BackendLoader.load(plugins)) {
                PluginsCommand.text(backends);
            }
        }
        // A throwaway embedded catalog (the default kind), removed afterwards: the JDBC driver, pool, migration
        // and mapping classes load as for a real one.
        Path dir;
        try {
            dir = Files.createTempDirectory("cairn-warm-up-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (CatalogDatabase database = CatalogDatabase.open(new CatalogSettings(HostOptions.embeddedUrl(dir),
                Optional.empty(), Optional.empty()))) {
            BackupCatalog catalog = new BackupCatalog(database);
            BackupRecord record = BackupRecord.creating(BackupId.random(), "warm-up", new VolumeRef("pool/image"),
                    BackupKind.FULL, Optional.empty(), Map.of("k", "v"), "warm-up", Instant.now());
            catalog.insert(record);
            JsonOutput.write(catalog.list(BackupFilter.all()).stream().map(BackupView::of).toList());
            new BackupText(ZoneId.systemDefault()).table(catalog.list(BackupFilter.all()));
        } finally {
            deleteTree(dir);
        }
        return ErrorReport.OK;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
