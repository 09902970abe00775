package io.cairn.host.metrics;

import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.VerifyLog;
import io.cairn.host.catalog.VerifyLog.ClusterVerify;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The restores and verifies the catalog records, whichever process ran them - {@code serve}, a
 * {@code cairn restore} or {@code cairn verify} beside it, another host sharing a PostgreSQL catalog -
 * handed on once each as they end, from when {@code serve} started. The restore and verify commands are
 * processes of their own, so serve learns of them only from the catalog.
 *
 * <p>Each {@link #poll} reads the rows that ended since the newest one seen, less {@link #REREAD}: a row is
 * written with its writer's clock and becomes visible when its transaction commits, so one that ended a
 * moment before the newest seen (another host's clock a little behind, a slow commit) is still found.
 * Rows already handed on within that window are remembered by id and not handed on twice; a row that
 * becomes visible more than {@code REREAD} after the time it names is missed. The reads go through
 * indexes on the end time ({@code restores_by_end}, {@code verifications_by_end}) in pages, so a poll
 * costs what is new, and stop once {@code budget} has passed (the rest waits for the next poll).
 */
public final class CatalogActivity {

    /** How far behind the newest end seen each poll reads again. */
    static final Duration REREAD = Duration.ofMinutes(5);
    static final int PAGE = 500;

    private final RestoreLog restores;
    private final VerifyLog verifies;
    private final Duration budget;
    private final Feed<RestoreRecord> restoreFeed;
    private final Feed<ClusterVerify> verifyFeed;

    /**
     * @param restores the restores table
     * @param verifies the verifications table
     * @param since    rows that ended before this are never handed on ({@code serve}'s start)
     * @param budget   how long one poll may keep reading pages ({@code catalog_timeout}); each read is bounded
     *                 by the catalog's own timeout too
     */
    public CatalogActivity(RestoreLog restores, VerifyLog verifies, Instant since, Duration budget) {
        this.restores = Objects.requireNonNull(restores, "restores is null");
        this.verifies = Objects.requireNonNull(verifies, "verifies is null");
        this.budget = Objects.requireNonNull(budget, "budget is null");
        this.restoreFeed = new Feed<>(since, RestoreRecord::id, r -> r.finishedAt().orElseThrow());
        this.verifyFeed = new Feed<>(since, v -> v.verify().id(), v -> v.verify().finishedAt());
    }

    /**
     * Hands every restore and verify that ended since the last poll to {@code restoreEnded} and
     * {@code verifyFinished}, each once, in the order they ended.
     *
     * @throws io.cairn.host.catalog.CatalogException when the catalog does not answer; what was handed on
     *         before stays handed on, the rest comes with the next poll
     */
    public synchronized void poll(Consumer<RestoreRecord> restoreEnded, Consumer<ClusterVerify> verifyFinished) {
        long deadline = System.nanoTime() + budget.toNanos();
        restoreFeed.poll(restores::endedSince, restoreEnded, deadline);
        verifyFeed.poll(verifies::finishedSince, verifyFinished, deadline);
    }

    /**
     * When the newest complete verify that found a backup intact finished, by cluster: what came before serve
     * started, read once (every verify row); {@link #poll} hands on what comes after.
     */
    public java.util.Map<String, Instant> newestCompleteIntactByCluster() {
        return verifies.newestCompleteIntactByCluster();
    }

    /** A page of rows that ended at or after a time, after an id at that time. */
    @FunctionalInterface
    private interface PageReader<T> {
        List<T> read(Instant since, String afterId, int limit);
    }

    /** One table's rows, followed by end time. */
    private static final class Feed<T> {

        private final Instant since;
        private final Function<T, String> id;
        private final Function<T, Instant> end;
        /** The rows handed on that ended within {@link #REREAD} of the newest: they are read again. */
        private final Map<String, Instant> handedOn = new HashMap<>();
        private Instant newest;

        Feed(Instant since, Function<T, String> id, Function<T, Instant> end) {
            this.since = since;
            this.id = id;
            this.end = end;
            this.newest = since;
        }

        void poll(PageReader<T> reader, Consumer<T> consumer, long deadline) {
            Instant from = max(since, newest.minus(REREAD));
            String after = "";
            while (true) {
                List<T> page = reader.read(from, after, PAGE);
                for (T row : page) {
                    Instant ended = end.apply(row);
                    if (handedOn.putIfAbsent(id.apply(row), ended) == null) {
                        newest = max(newest, ended);
                        consumer.accept(row);
                    }
                }
                if (page.size() < PAGE || System.nanoTime() > deadline) {
                    break;
                }
                T last = page.get(page.size() - 1);
                from = end.apply(last);
                after = id.apply(last);
            }
            Instant forget = newest.minus(REREAD);
            handedOn.values().removeIf(ended -> ended.isBefore(forget));
        }

        private static Instant max(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }
}
