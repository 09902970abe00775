package io.cairn.host.schedule;

import io.cairn.api.model.VolumeRef;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a schedule's {@code volumes:} list: a volume by name ({@code volumes/db1},
 * {@code file:/srv/disk.img}), or a pool with a pattern for the names in it ({@code volumes/web-*}),
 * resolved against the backend's list of the pool's volumes at every firing.
 *
 * @param text    the entry as written
 * @param pool    what comes before the last {@code /}: the pool (or {@code pool/namespace}) a pattern
 *                is resolved in; empty for a {@code file:} volume
 * @param pattern the name pattern after the last {@code /}; empty when the entry names one volume
 */
public record VolumeSelector(String text, String pool, Optional<NameGlob> pattern) {

    public VolumeSelector {
        Objects.requireNonNull(text, "text is null");
        Objects.requireNonNull(pool, "pool is null");
        Objects.requireNonNull(pattern, "pattern is null");
    }

    /**
     * Parses an entry.
     *
     * @throws IllegalArgumentException saying what is wrong: no {@code /}, an empty part, a pattern in
     *         the pool part, a snapshot ({@code @}), a malformed pattern
     */
    public static VolumeSelector parse(String text) {
        Objects.requireNonNull(text, "text is null");
        String entry = text.strip();
        if (entry.startsWith("file:")) {
            if (entry.length() == "file:".length() || NameGlob.isPattern(entry)) {
                throw new IllegalArgumentException("a file: entry names one file or device by its path, without patterns");
            }
            return new VolumeSelector(entry, "", Optional.empty());
        }
        if (entry.contains("@")) {
            throw new IllegalArgumentException("names a snapshot ('@'); name the volume, POOL/IMAGE");
        }
        int slash = entry.lastIndexOf('/');
        if (slash <= 0 || slash == entry.length() - 1 || entry.contains("//")) {
            throw new IllegalArgumentException("expected POOL/IMAGE, POOL/PATTERN such as volumes/web-*, or file:/PATH");
        }
        String pool = entry.substring(0, slash);
        String name = entry.substring(slash + 1);
        if (NameGlob.isPattern(pool)) {
            throw new IllegalArgumentException("patterns are allowed in the image name only, not in the pool '" + pool + "'");
        }
        if (!NameGlob.isPattern(name)) {
            return new VolumeSelector(entry, pool, Optional.empty());
        }
        return new VolumeSelector(entry, pool, Optional.of(NameGlob.compile(name)));
    }

    /** Whether this entry is resolved against the pool's volumes rather than naming one. */
    public boolean isPattern() {
        return pattern.isPresent();
    }

    /** The volume an entry without a pattern names. */
    public VolumeRef volume() {
        if (isPattern()) {
            throw new IllegalStateException(text + " is a pattern, not a volume");
        }
        return new VolumeRef(text);
    }

    /** Whether {@code volume} is selected: the named volume itself, or a volume of the pool whose name matches. */
    public boolean selects(VolumeRef volume) {
        if (pattern.isEmpty()) {
            return volume.locator().equals(text);
        }
        String locator = volume.locator();
        int slash = locator.lastIndexOf('/');
        return slash > 0 && locator.substring(0, slash).equals(pool) && pattern.get().matches(locator.substring(slash + 1));
    }

    @Override
    public String toString() {
        return text;
    }
}
