package io.cairn.host.cli;

/** The command line asks for something that cannot be done as written; exit code 2. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
