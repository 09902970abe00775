package io.cairn.host.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the backup catalog lives.
 *
 * @param url      a JDBC URL; by default an embedded H2 file database under the data directory
 * @param user     the database user, when the database wants one
 * @param password the database password; a secret, never shown
 */
public record CatalogSettings(String url, Optional<String> user, Optional<String> password) {

    public CatalogSettings {
        Objects.requireNonNull(url, "url is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(password, "password is null");
    }

    /** Masks the password, so the record can be logged. */
    @Override
    public String toString() {
        return "CatalogSettings[url=" + url + ", user=" + user.orElse("") + ", password="
                + (password.isPresent() ? "[hidden]" : "") + "]";
    }
}
