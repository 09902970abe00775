package io.cairn.ceph;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.error.BackendException;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * The Ceph backend: RBD images (and files) backed up into base images of a backup pool, on the same
 * cluster or another one, with the on-cluster layout of the OpenStack Cinder Ceph backup driver.
 */
@Extension
public final class CephBackendDescriptor implements BackendDescriptor {

    public static final String ID = "ceph";

    private static final String VERSION = readVersion();

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
    public Capabilities capabilities() {
        // Every backup is a snapshot of a complete base image: restorable and deletable on its own.
        return new Capabilities(true, RestorePointDependency.INDEPENDENT, true, true);
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
