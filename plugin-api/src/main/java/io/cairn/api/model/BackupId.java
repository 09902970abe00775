package io.cairn.api.model;

import java.util.UUID;

/**
 * The identifier of one backup, chosen by the host.
 *
 * <p>Lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 characters
 * (a UUID fits). Backends embed it in names on the storage side, so the alphabet is narrow on purpose.
 */
public record BackupId(String value) {

    private static final int MAX_LENGTH = 64;

    public BackupId {
        if (value == null) {
            throw new NullPointerException("value is null");
        }
        if (!isValid(value)) {
            throw new IllegalArgumentException(
                    "backup id '" + value + "' must be 1-64 lowercase letters, digits or '-', not starting with '-'");
        }
    }

    /**
     * [a-z0-9][a-z0-9-]{0,63}, checked character by character: the catalog makes an id for every row it reads
     * (100,000 and more for a listing or a plan), and a regular expression's matcher cost several times as much.
     */
    private static boolean isValid(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_LENGTH || value.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
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
