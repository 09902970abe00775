package io.cairn.host.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the backup catalog lives.
 *
 * @param url      a JDBC URL; by default an embedded SQLite file database under the data directory
 * @param user     the database user, when the database wants one
 * @param password the database password; a secret, never shown
 * @param timeout  the longest any one catalog access waits - for a connection, a lock another process
 *                 holds, an answer - before it fails with a clear error
 * @param notice   what the operator should know about this catalog, shown by every command (an earlier
 *                 version's catalog still in use)
 */
public record CatalogSettings(String url, Optional<String> user, Optional<String> password, Duration timeout,
        Optional<String> notice) {

    /** {@code catalog_timeout}'s default: long enough to ride out a database server's restart. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** {@code password=...} (and the like) inside a URL's parameters: PostgreSQL's driver takes it there too. */
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword)=)[^&;]*");
    /** {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO_IN_URL = Pattern.compile("(//[^/:@]*:)[^@/]*@");

    public CatalogSettings {
        Objects.requireNonNull(url, "url is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(password, "password is null");
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(notice, "notice is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Without a notice. */
    public CatalogSettings(String url, Optional<String> user, Optional<String> password, Duration timeout) {
        this(url, user, password, timeout, Optional.empty());
    }

    /** With the default {@link #DEFAULT_TIMEOUT}, without a notice. */
    public CatalogSettings(String url, Optional<String> user, Optional<String> password) {
        this(url, user, password, DEFAULT_TIMEOUT);
    }

    /** The URL as it may be shown: a password written into it is replaced by {@code [hidden]}. */
    public String displayUrl() {
        return displayUrl(url);
    }

    /** Any JDBC URL with its password (if one is written into it) replaced by {@code [hidden]}. */
    public static String displayUrl(String url) {
        String masked = PASSWORD_IN_URL.matcher(url).replaceAll("$1[hidden]");
        return USER_INFO_IN_URL.matcher(masked).replaceAll("$1[hidden]@");
    }

    /** Masks the password, so the record can be logged. */
    @Override
    public String toString() {
        return "CatalogSettings[url=" + displayUrl() + ", user=" + user.orElse("") + ", password="
                + (password.isPresent() ? "[hidden]" : "") + ", timeout=" + timeout + "]";
    }
}
