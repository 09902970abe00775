package io.cairn.host.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code -v} to logback levels. Quiet by default (warnings and errors only), because operators
 * read the command's own output; {@code -v} adds what the host does, {@code -vv} everything.
 */
final class LogLevels {

    private LogLevels() {
    }

    /**
     * {@code cairn serve} runs unattended, so its log is its output: what fires, what is backed up and
     * pruned, at INFO by default; libraries stay at WARN.
     */
    static void applyForServe(int verbosity) {
        if (verbosity == 0) {
            ((Logger) LoggerFactory.getLogger("io.cairn")).setLevel(Level.INFO);
        }
    }

    static void apply(int verbosity) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger libraries = (Logger) LoggerFactory.getLogger("org");
        Logger pools = (Logger) LoggerFactory.getLogger("com.zaxxer");
        Logger migrations = (Logger) LoggerFactory.getLogger("org.flywaydb");
        switch (verbosity) {
            case 0 -> {
                root.setLevel(Level.WARN);
                // PF4J repeats, less clearly, what BackendLoader already reported for a refused JAR.
                libraries.setLevel(Level.ERROR);
                // The pool and Flyway log a catalog they cannot reach or migrate with a stack trace; the command's
                // own error (CatalogException) says the same in one line, naming the catalog.
                pools.setLevel(Level.OFF);
                migrations.setLevel(Level.OFF);
            }
            case 1 -> {
                root.setLevel(Level.INFO);
                libraries.setLevel(Level.WARN);
                pools.setLevel(Level.WARN);
                migrations.setLevel(Level.WARN);
            }
            default -> {
                root.setLevel(Level.DEBUG);
                libraries.setLevel(Level.INFO);
                pools.setLevel(Level.INFO);
                migrations.setLevel(Level.INFO);
            }
        }
    }
}
