package io.cairn.host.model;

import io.cairn.host.testing.CliRun;

/**
 * One cairn command the model runs and knows the outcome of: run to the end (in this JVM, or in a JVM of
 * its own that happened to finish before it was killed), or killed in flight.
 */
interface Operation {

    /** The kind of step, for the timing summary: backup, restore, delete, prune. */
    String kind();

    /** What it does, for the step list. */
    String describe();

    /** The cairn command line, without {@code --conf}. */
    String[] args();

    /**
     * Checks a run that ended by itself against what the model expects, and updates the model.
     *
     * @return what came of it, for the step list
     */
    String expect(CliRun run);

    /**
     * Learns from the catalog what a run killed in flight got to (it may have finished, or never
     * started), and updates the model with what must hold once recovery has run.
     *
     * @return what the catalog shows, for the step list
     */
    String killed();

    /** What the operation may change, to be checked after it (or after recovery). */
    Scope scope();
}
