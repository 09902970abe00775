package io.cairn.api;

import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * The entry point of a backend plugin: names the backend, declares its options and capabilities,
 * and opens one {@link BackendSession} per configured cluster.
 *
 * <p>A plugin provides exactly one implementation, annotated with PF4J's {@code @Extension}. The host
 * finds it with {@code pluginManager.getExtensions(BackendDescriptor.class)}, validates each cluster
 * file ({@code conf/clusters/<name>.yaml}, whose {@code plugin:} key equals {@link #id()}) against
 * {@link #options()}, and calls {@link #open} with the result.
 *
 * <p>Implementations must be stateless and thread-safe; all per-cluster state lives in the session.
 */
public interface BackendDescriptor extends ExtensionPoint {

    /** Short, stable identifier used in cluster files, for example {@code ceph}. Lowercase. */
    String id();

    /** Version of the backend implementation, for example {@code 0.1.0}. */
    String version();

    /** One line for operators: what this backend stores and where. */
    String description();

    /** Every option a cluster file may set, with types, defaults, units and documentation. */
    OptionDefinitions options();

    /**
     * What this backend can do, declared once, as a set: {@code EnumSet.of(INCREMENTAL,
     * INDEPENDENT_RESTORE_POINTS)}. The host reads only this. A backend implements this method (plugin
     * API 1.1 and later) or {@link #capabilities()} (1.0), not both; the default derives the set from
     * {@code capabilities()}, so 1.0 plugins keep working. The host refuses to load a backend that
     * implements neither.
     *
     * @since plugin API 1.1
     */
    default Set<BackendCapability> capabilitySet() {
        return capabilities().toSet();
    }

    /**
     * What this backend can do, as plugin API 1.0 declared it. Since 1.1 a backend implements
     * {@link #capabilitySet()} instead, and this default gives its 1.0 view.
     */
    default Capabilities capabilities() {
        return Capabilities.of(capabilitySet());
    }

    /**
     * How this backend's volumes are named: whether names have a namespace (what a
     * {@link io.cairn.api.operation.VolumeListing} lists), how an operator writes one, and which text is
     * no volume name at all. The host checks schedules and command lines with it before contacting a
     * cluster, and resolves schedules' patterns within a namespace. The default allows names with or
     * without a namespace ({@link VolumeNaming#DEFAULT}).
     *
     * @since plugin API 1.1
     */
    default VolumeNaming volumeNaming() {
        return VolumeNaming.DEFAULT;
    }

    /**
     * Connects to one cluster.
     *
     * @param clusterName the operator's name for the cluster (the cluster file's name); used in
     *                    every error message so the operator knows which cluster failed
     * @param options     values already validated against {@link #options()}, defaults applied
     * @return an open session; the caller closes it
     * @throws io.cairn.api.error.InvalidConfigurationException when values are individually valid
     *         but do not work together or point at something that does not exist (a missing conf file)
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    BackendSession open(String clusterName, OptionValues options);
}
