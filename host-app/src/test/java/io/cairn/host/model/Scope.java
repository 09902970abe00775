package io.cairn.host.model;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a step may have changed, and therefore what is checked after it: source volumes (their snapshots),
 * cluster files (their backup pools), the source pool's images (restore targets). The catalog is read
 * after every step that ran Cairn.
 */
final class Scope {

    private final Set<String> volumes = new TreeSet<>();
    private final Set<String> clusters = new TreeSet<>();
    private boolean sourcePool;
    private boolean catalog;
    private boolean deep;

    static Scope nothing() {
        return new Scope();
    }

    /** Every volume, both backup pools (deep), the source pool. */
    static Scope everything(Collection<String> volumes) {
        Scope scope = new Scope().sourcePool().deep();
        volumes.forEach(scope::volume);
        ModelWorld.CLUSTERS.forEach(scope::cluster);
        return scope;
    }

    /** Also look for snapshots outside the user namespace (one rbd call per image: after crashes, and at the end). */
    Scope deep() {
        deep = true;
        return this;
    }

    boolean isDeep() {
        return deep;
    }

    Scope volume(String volume) {
        volumes.add(volume);
        catalog = true;
        return this;
    }

    Scope cluster(String cluster) {
        clusters.add(cluster);
        catalog = true;
        return this;
    }

    Scope sourcePool() {
        sourcePool = true;
        catalog = true;
        return this;
    }

    Set<String> volumes() {
        return volumes;
    }

    Set<String> clusters() {
        return clusters;
    }

    boolean includesSourcePool() {
        return sourcePool;
    }

    boolean includesCatalog() {
        return catalog;
    }
}
