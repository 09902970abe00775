package io.cairn.ceph.ops;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What an operation created so far, to be undone in reverse order if it fails: a backup that fails
 * leaves nothing behind (no base image, no snapshot, no metadata object).
 */
final class Rollback {

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Records how to undo something just created. */
    void add(String description, Runnable undo) {
        steps.push(new Step(description, undo));
    }

    /** Undoes every step, newest first; failures are attached to {@code cause} and do not stop the rest. */
    void run(Throwable cause) {
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.undo.run();
            } catch (RuntimeException e) {
                cause.addSuppressed(new IllegalStateException("cleanup failed: " + step.description + ": "
                        + e.getMessage(), e));
            }
        }
    }

    private record Step(String description, Runnable undo) {
    }
}
