package io.cairn.host.model;

import io.cairn.host.testing.CliRun;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delete that failed because a base image it had to remove was still open somewhere: Cairn leaves the
 * backup {@code deleting} (what it still owns stays recorded) and tells the operator to try the delete again
 * once nothing has the image open. The model does what that operator would - runs the delete again every few
 * seconds, for a bounded time - and records who held the image when the delete failed (its watchers, and
 * whether each was blocklisted), so that a watch outliving its fenced client is on record, not guessed at.
 *
 * <p>The bound is a dead, unfenced client's watch timeout (30 s) three times over: a base image busy for longer
 * after a delete failed is a violation, reported with what the cluster said at the failure and at the end.
 */
final class BusyDeletes {

    private static final Pattern BUSY = Pattern.compile("base image (\\S+) is still in use \\(busy\\)");
    private static final long RETRY_FOR_SECONDS = 90;
    private static final long RETRY_EVERY_MILLIS = 5_000;

    private final ModelWorld world;
    private final Model model;

    BusyDeletes(ModelWorld world, Model model) {
        this.world = world;
        this.model = model;
    }

    /** The base image a failed delete found busy, if that is why it failed. */
    static Optional<String> busyImage(String stderr) {
        Matcher matcher = BUSY.matcher(stderr);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Finishes the delete of {@code backup}, which failed on the busy {@code image}: runs it again until it
     * succeeds, and notes who held the image.
     *
     * @throws AssertionError if the image is still busy after the bound, or the delete fails otherwise
     */
    String finish(ModelBackup backup, String image, String failure) {
        String atFailure = world.ceph().holders(image) + orphans();
        long start = System.nanoTime();
        while (true) {
            pause();
            CliRun retry = world.cairn("delete", backup.id(), "--json");
            double seconds = (System.nanoTime() - start) / 1e9;
            if (retry.exitCode() == 0 && "deleted".equals(Invariants.text(ModelWorld.parse(retry.out()), "status"))) {
                model.deleted(backup);
                model.noticedGone(List.of(backup));
                return String.format("base image %s busy (%s); deleted by a retry %.0f s later", image, atFailure,
                        seconds);
            }
            if (busyImage(retry.err()).isEmpty() || seconds > RETRY_FOR_SECONDS) {
                throw new AssertionError(String.format("delete %s failed on the busy base image %s and still fails"
                        + " %.0f s later.%nAt the failure: %s%nNow: %s%nThe failure: %s%nThe last retry: %s", backup,
                        image, seconds, atFailure, world.ceph().holders(image) + orphans(), failure, retry));
            }
        }
    }

    /** The processes killed children left running (the rbd CLI of an rbd-cli transfer): each a client of its own. */
    private static String orphans() {
        List<ProcessHandle> alive = ChildCairn.orphansAlive();
        if (alive.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; processes killed children left running:");
        alive.forEach(process -> text.append(' ').append(process.pid()).append(' ')
                .append(process.info().commandLine().orElse("?")));
        return text.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_EVERY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while retrying a delete", e);
        }
    }
}
