package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.catalog.Catalog;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.HostSettings;

/** A subcommand that only reads the catalog: it never loads a plugin, so it starts fast. */
abstract class CatalogCommand extends CliCommand {

    @Override
    public final Integer call() {
        HostSettings settings = ConfDirectory.at(confDir()).hostSettings();
        settings.catalog().notice().ifPresent(notice -> err().println("cairn: note: " + notice));
        try (Catalog catalog = Host.openCatalog(settings)) {
            return run(catalog);
        }
    }

    /** @return the exit code */
    abstract int run(Catalog catalog);
}
