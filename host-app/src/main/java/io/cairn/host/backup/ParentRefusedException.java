package io.cairn.host.backup;

/**
 * The parent an operator chose for an incremental backup ({@code cairn backup ... --parent ID}) cannot be
 * one: it is not an available backup of the same volume, or its source snapshot is gone or has another
 * identity. The message says which; nothing falls back to a full backup behind the operator's back.
 */
public final class ParentRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ParentRefusedException(String message) {
        super(message);
    }

    public ParentRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
