package io.cairn.ceph.cluster;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.VolumeRef;
import java.util.Objects;

/**
 * An RBD image named the way the {@code rbd} CLI names it: {@code pool/image} or
 * {@code pool/namespace/image}.
 */
public record RbdVolume(String pool, String namespace, String image) {

    public RbdVolume {
        Objects.requireNonNull(pool, "pool is null");
        Objects.requireNonNull(namespace, "namespace is null");
        Objects.requireNonNull(image, "image is null");
    }

    /**
     * Parses a volume locator.
     *
     * @throws BackendException when the text is not {@code POOL/IMAGE} or {@code POOL/NAMESPACE/IMAGE}
     */
    public static RbdVolume parse(VolumeRef volume) {
        String[] parts = volume.locator().split("/", -1);
        boolean wellFormed = (parts.length == 2 || parts.length == 3) && !volume.locator().contains("@");
        for (String part : parts) {
            wellFormed &= !part.isEmpty();
        }
        if (!wellFormed) {
            throw new BackendException("'" + volume.locator() + "' is not an RBD volume: expected POOL/IMAGE,"
                    + " POOL/NAMESPACE/IMAGE or file:/PATH");
        }
        return parts.length == 2
                ? new RbdVolume(parts[0], "", parts[1])
                : new RbdVolume(parts[0], parts[1], parts[2]);
    }

    /** As the rbd CLI writes it. */
    public String spec() {
        return namespace.isEmpty() ? pool + "/" + image : pool + "/" + namespace + "/" + image;
    }

    @Override
    public String toString() {
        return spec();
    }
}
