package io.cairn.ceph.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one Ceph cluster as one cephx user.
 *
 * @param clusterName the operator's name for the cluster, for error messages
 * @param side        which side of Cairn it plays ({@code backup} or {@code source}), for error messages
 * @param conf        its ceph.conf (monitors, and usually the keyring)
 * @param user        the cephx user, without the {@code client.} prefix
 * @param keyring     a keyring to use instead of the one ceph.conf names
 * @param key         a cephx key to use instead of any keyring (a secret: never printed)
 * @param timeout     how long connecting, and each monitor or OSD operation, may take
 */
public record ConnectionSettings(
        String clusterName, String side, Path conf, String user, Optional<Path> keyring, Optional<String> key,
        Duration timeout) {

    public ConnectionSettings {
        Objects.requireNonNull(clusterName, "clusterName is null");
        Objects.requireNonNull(side, "side is null");
        Objects.requireNonNull(conf, "conf is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(keyring, "keyring is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(timeout, "timeout is null");
        if (user.startsWith("client.")) {
            user = user.substring("client.".length());
        }
    }

    /** Whether two settings reach the same cluster as the same user, so one connection serves both. */
    public boolean sameConnectionAs(ConnectionSettings other) {
        return conf.toAbsolutePath().normalize().equals(other.conf.toAbsolutePath().normalize())
                && user.equals(other.user) && keyring.equals(other.keyring) && key.equals(other.key);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** {@code cluster 'prod'}, or {@code cluster 'prod' (source side)}: short, for messages about waits. */
    public String label() {
        return "cluster '" + clusterName + "'" + (side.equals("source") ? " (source side)" : "");
    }

    /** The option that holds this side's credentials, for authentication errors. */
    String keyOption() {
        String prefix = side.equals("source") ? "source_" : "";
        return prefix + (key.isPresent() ? "key" : keyring.isPresent() ? "keyring" : "user");
    }

    /** {@code cluster 'prod' (backup side, conf /etc/ceph/ceph.conf, user client.cairn)}. */
    public String describe() {
        return "cluster '" + clusterName + "' (" + side + " side, conf " + conf + ", user client." + user + ")";
    }
}
