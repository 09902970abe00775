package io.cairn.host.catalog;

/**
 * Another backup or delete holds the volume's lease; this one is refused rather than queued.
 * The message names the volume, the cluster, the holder and since when.
 */
public class VolumeBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VolumeBusyException(String message) {
        super(message);
    }
}
