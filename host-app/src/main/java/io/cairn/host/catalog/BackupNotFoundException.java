package io.cairn.host.catalog;

/** No backup has the id (or id prefix) asked for, or the prefix fits several. */
public class BackupNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackupNotFoundException(String message) {
        super(message);
    }
}
