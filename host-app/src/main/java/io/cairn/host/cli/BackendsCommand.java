package io.cairn.host.cli;

import io.cairn.host.Host;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.plugins.LoadedBackends;

/** A subcommand about the plugins and the clusters' configuration: it never opens the catalog. */
abstract class BackendsCommand extends CliCommand {

    @Override
    public final Integer call() {
        ConfDirectory conf = ConfDirectory.at(confDir());
        try (LoadedBackends backends = Host.loadBackends(conf.hostSettings())) {
            return run(conf, backends);
        }
    }

    /** @return the exit code */
    abstract int run(ConfDirectory conf, LoadedBackends backends);
}
