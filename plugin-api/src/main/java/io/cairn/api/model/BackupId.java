package io.cairn.api.model;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identifier of one backup, chosen by the host.
 *
 * <p>Lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 characters
 * (a UUID fits). Backends embed it in names on the storage side, so the alphabet is narrow on purpose.
 */
public record BackupId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public BackupId {
        if (value == null) {
            throw new NullPointerException("value is null");
        }
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "backup id '" + value + "' must be 1-64 lowercase letters, digits or '-', not starting with '-'");
        }
    }

    /** A new random id (a UUID). */
    public static BackupId random() {
        return new BackupId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
