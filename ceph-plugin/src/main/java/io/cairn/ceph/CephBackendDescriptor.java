package io.cairn.ceph;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.VolumeNaming;
import io.cairn.api.error.BackendException;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The Ceph backend: RBD images (and files) backed up into base images of a backup pool, on the same
 * cluster or another one, with the on-cluster layout of the OpenStack Cinder Ceph backup driver.
 */
@Extension
public final class CephBackendDescriptor implements BackendDescriptor {

    public static final String ID = "ceph";

    private static final String VERSION = readVersion();

    /** RBD images live in a pool (and maybe a namespace of it). */
    private static final VolumeNaming NAMING = new VolumeNaming() {
        @Override
        public Namespaces namespaces() {
            return Namespaces.REQUIRED;
        }

        @Override
        public String form() {
            return "POOL/IMAGE or POOL/NAMESPACE/IMAGE";
        }

        @Override
        public Optional<String> problem(String name) {
            return VolumeNaming.super.problem(name).or(() -> {
                if (name.contains("@")) {
                    return Optional.of("'" + name + "' names a snapshot ('@'); name the image, " + form());
                }
                if (name.split("/").length > 3) {
                    return Optional.of("'" + name + "' has too many parts; write " + form());
                }
                return Optional.empty();
            });
        }
    };

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String description() {
        return "Ceph RBD: snapshot-differential backups of RBD images (and files) into a backup pool,"
                + " on the same or another cluster";
    }

    @Override
    public OptionDefinitions options() {
        return CephOptions.DEFINITIONS;
    }

    @Override
    public Set<BackendCapability> capabilitySet() {
        // Every backup is a snapshot of a complete base image: restorable and deletable on its own. RBD
        // group snapshots make backup sets consistent.
        return EnumSet.of(BackendCapability.INCREMENTAL, BackendCapability.INDEPENDENT_RESTORE_POINTS,
                BackendCapability.DIFFERENTIAL_RESTORE, BackendCapability.FILE_SOURCES,
                BackendCapability.CONSISTENT_GROUPS);
    }

    @Override
    public VolumeNaming volumeNaming() {
        return NAMING;
    }

    @Override
    public BackendSession open(String clusterName, OptionValues options) {
        CephSettings settings = CephSettings.from(clusterName, options);
        try {
            return CephSession.open(settings);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            // JNA could not bind librados or librbd: say which package brings them.
            throw new BackendException("cannot load librados/librbd for cluster '" + clusterName + "' (" + e.getMessage()
                    + "); install Ceph's client libraries, e.g. apt-get install librados-dev librbd-dev", e);
        }
    }

    private static String readVersion() {
        try (InputStream in = CephBackendDescriptor.class.getResourceAsStream("ceph-plugin.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
