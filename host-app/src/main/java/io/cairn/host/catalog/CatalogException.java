package io.cairn.host.catalog;

/**
 * The catalog database could not be opened, migrated, read or written. The message names the
 * database (its URL, never its password) and the operation.
 */
public class CatalogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
