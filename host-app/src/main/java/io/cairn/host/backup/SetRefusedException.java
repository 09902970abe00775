package io.cairn.host.backup;

/**
 * A backup set that cannot be taken at all - its backend cannot snapshot several volumes at one instant -
 * refused before anything is recorded or locked.
 */
public final class SetRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SetRefusedException(String message) {
        super(message);
    }
}
