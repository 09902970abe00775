package io.cairn.host.catalog;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * Who this process is in the catalog - in lease holders and schedule runs: {@code host/pid}. Found once
 * when the host is assembled and passed to what writes it, so tests can give their own.
 *
 * @param host the machine's host name
 * @param pid  the process id
 */
public record ProcessIdentity(String host, long pid) {

    public ProcessIdentity {
        Objects.requireNonNull(host, "host is null");
        if (host.isEmpty() || host.contains("/")) {
            throw new IllegalArgumentException("host name '" + host + "' is empty or holds a '/'");
        }
    }

    /** The environment variable that names this host instead of its host name. */
    public static final String HOST_NAME_VARIABLE = "CAIRN_HOST_NAME";

    /**
     * This process, on the host named by {@value #HOST_NAME_VARIABLE} when it is set - hosts sharing a catalog
     * must have different names, which containers started from one image may not - else by its host name.
     */
    public static ProcessIdentity current() {
        String host = System.getenv(HOST_NAME_VARIABLE);
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return new ProcessIdentity(host.strip(), ManagementFactory.getRuntimeMXBean().getPid());
    }

    /**
     * Whether a lease holder ({@code host/pid#nonce}) is a process of this host other than this one that
     * is no longer alive: its lease can be taken over without waiting for it to expire.
     */
    public boolean isDeadLocalHolder(String holder, LongPredicate alive) {
        String prefix = host + "/";
        if (!holder.startsWith(prefix)) {
            return false;
        }
        int hash = holder.indexOf('#', prefix.length());
        String pidText = holder.substring(prefix.length(), hash < 0 ? holder.length() : hash);
        long holderPid;
        try {
            holderPid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return false;
        }
        return holderPid != pid && !alive.test(holderPid);
    }

    /** {@code host/pid}. */
    @Override
    public String toString() {
        return host + "/" + pid;
    }
}
