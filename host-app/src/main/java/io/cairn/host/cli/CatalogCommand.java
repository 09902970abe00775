package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.catalog.Catalog;
import io.cairn.host.config.ConfDirectory;

/** A subcommand that only reads the catalog: it never loads a plugin, so it starts fast. */
abstract class CatalogCommand extends CliCommand {

    @Override
    public final Integer call() {
        try (Catalog catalog = Host.openCatalog(ConfDirectory.at(confDir()).hostSettings())) {
            return run(catalog);
        }
    }

    /** @return the exit code */
    abstract int run(Catalog catalog);
}
