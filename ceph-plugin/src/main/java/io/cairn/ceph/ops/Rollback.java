package io.cairn.ceph.ops;

import io.cairn.ceph.rbd.ClusterStalledException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

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

    /**
     * Undoes every step, newest first; failures are attached to {@code cause} and do not stop the rest.
     *
     * <p>When the operation failed because the cluster stopped answering, nothing is undone: each step
     * would wait for the timeout again. What was created is recorded in the backup's journal, and the
     * next operation on the volume removes it; the steps skipped are attached to {@code cause}.
     */
    void run(Throwable cause) {
        if (cause instanceof ClusterStalledException && !steps.isEmpty()) {
            List<String> skipped = steps.stream().map(Step::description).toList();
            steps.clear();
            cause.addSuppressed(new IllegalStateException("not cleaned up while the cluster does not answer (left"
                    + " for the next operation): " + String.join("; ", skipped)));
            return;
        }
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
