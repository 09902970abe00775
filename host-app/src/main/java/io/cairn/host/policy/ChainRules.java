package io.cairn.host.policy;

import io.cairn.api.option.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A schedule's chain rules: when the next backup starts a new chain with a full backup instead of
 * adding an incremental one to the current chain. Either, both or neither may be set; a new full is
 * taken as soon as one of them asks for it. With neither, a chain grows for as long as it can.
 *
 * @param fullEvery at most this many backups in one chain, the full one included: {@code full_every: 7}
 *                  gives a full followed by at most 6 incrementals, {@code full_every: 1} a full every
 *                  time. At least 1.
 * @param fullAfter a new full once the chain's full backup is at least this old ({@code full_after: 7d}).
 *                  Positive.
 */
public record ChainRules(OptionalInt fullEvery, Optional<Duration> fullAfter) {

    /** No chain rule: incremental whenever possible. */
    public static final ChainRules UNLIMITED = new ChainRules(OptionalInt.empty(), Optional.empty());

    public ChainRules {
        Objects.requireNonNull(fullEvery, "fullEvery is null");
        Objects.requireNonNull(fullAfter, "fullAfter is null");
        if (fullEvery.isPresent() && fullEvery.getAsInt() < 1) {
            throw new IllegalArgumentException("full_every must be at least 1, not " + fullEvery.getAsInt());
        }
        if (fullAfter.isPresent() && (fullAfter.get().isNegative() || fullAfter.get().isZero())) {
            throw new IllegalArgumentException("full_after must be positive, not " + fullAfter.get());
        }
    }

    /** The same rules with {@code full_every: count}. */
    public ChainRules withFullEvery(int count) {
        return new ChainRules(OptionalInt.of(count), fullAfter);
    }

    /** The same rules with {@code full_after: age}. */
    public ChainRules withFullAfter(Duration age) {
        return new ChainRules(fullEvery, Optional.of(Objects.requireNonNull(age, "age is null")));
    }

    /** As written in a schedule file: {@code full_every 7, full_after 7d}; {@code no chain limit}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        fullEvery.ifPresent(count -> parts.add("full_every " + count));
        fullAfter.ifPresent(age -> parts.add("full_after " + DurationText.format(age)));
        return parts.isEmpty() ? "no chain limit" : String.join(", ", parts);
    }
}
