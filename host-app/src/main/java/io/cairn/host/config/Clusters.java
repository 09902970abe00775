package io.cairn.host.config;

import io.cairn.host.plugins.LoadedBackends;
import java.util.List;

/**
 * The clusters of the conf directory, each read from its file and checked against the options its
 * backend declares, when asked for.
 */
public final class Clusters {

    private final ConfDirectory conf;
    private final LoadedBackends backends;

    public Clusters(ConfDirectory conf, LoadedBackends backends) {
        this.conf = conf;
        this.backends = backends;
    }

    /** The names of the configured clusters, sorted. */
    public List<String> names() {
        return conf.clusterNames();
    }

    /**
     * A cluster, read from its file now and checked against its backend's options.
     *
     * @throws ConfigurationException naming file, key and reason
     */
    public ConfiguredCluster cluster(String name) {
        return ClusterValidator.validate(conf.cluster(name), backends, conf.path());
    }
}
