package io.cairn.host.schedule;

import io.cairn.api.BackendCapability;
import io.cairn.api.BackendDescriptor;
import io.cairn.api.VolumeNaming;
import io.cairn.api.VolumeNaming.Namespaces;
import io.cairn.api.model.VolumeRef;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a schedule's {@code volumes:} list: a volume by name, or a pattern for the names of one
 * namespace, resolved against the backend's list of that namespace at every firing. The names are the
 * backend's ({@code volumes/db1} for Ceph, {@code vm1.img} or {@code images/*.img} for a directory of
 * images); to the host they are opaque text whose only structure is the namespace before the last
 * {@code /} that the backend declares ({@link VolumeNaming}). {@code file:/PATH} names a file or block
 * device, for backends with {@link BackendCapability#FILE_SOURCES}.
 *
 * <p>{@link #parse} checks what holds for every backend (patterns after the last {@code /} only, a
 * well-formed pattern); {@link #problem} checks the entry against one backend's naming.
 *
 * @param text the entry as written, trimmed
 */
public record VolumeSelector(String text) {

    private static final String FILE_PREFIX = "file:";

    public VolumeSelector {
        Objects.requireNonNull(text, "text is null");
    }

    /**
     * Parses an entry.
     *
     * @throws IllegalArgumentException saying what is wrong: empty, a pattern before the last {@code /}, a
     *         malformed pattern, a {@code file:} entry without a path or with a pattern
     */
    public static VolumeSelector parse(String text) {
        Objects.requireNonNull(text, "text is null");
        String entry = text.strip();
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("expected a volume name, a pattern such as volumes/web-* or images/*.img,"
                    + " or file:/PATH; got an empty entry");
        }
        if (entry.startsWith(FILE_PREFIX)) {
            if (entry.length() == FILE_PREFIX.length() || NameGlob.isPattern(entry)) {
                throw new IllegalArgumentException("a file: entry names one file or device by its path, without patterns");
            }
            return new VolumeSelector(entry);
        }
        int slash = entry.lastIndexOf('/');
        if (slash >= 0 && NameGlob.isPattern(entry.substring(0, slash))) {
            throw new IllegalArgumentException("patterns are allowed after the last '/' only, not in '"
                    + entry.substring(0, slash) + "'");
        }
        VolumeSelector selector = new VolumeSelector(entry);
        if (selector.isPattern()) {
            NameGlob.compile(entry.substring(slash + 1)); // reports a malformed pattern now, not at a firing
        }
        return selector;
    }

    /** Whether this entry is resolved against a namespace's volumes rather than naming one. */
    public boolean isPattern() {
        return NameGlob.isPattern(text);
    }

    /** Whether this entry names a file or block device. */
    public boolean isFile() {
        return text.startsWith(FILE_PREFIX);
    }

    /** The volume an entry without a pattern names. */
    public VolumeRef volume() {
        if (isPattern()) {
            throw new IllegalStateException(text + " is a pattern, not a volume");
        }
        return new VolumeRef(text);
    }

    /**
     * Why this entry does not suit the backend, or empty: a {@code file:} entry for a backend without
     * file sources, or a name (a pattern's fixed part) the backend's {@link VolumeNaming} refuses.
     */
    public Optional<String> problem(BackendDescriptor backend) {
        if (isFile()) {
            return backend.capabilitySet().contains(BackendCapability.FILE_SOURCES) ? Optional.empty()
                    : Optional.of("backend " + backend.id() + " cannot back up files; write "
                            + backend.volumeNaming().form());
        }
        VolumeNaming naming = backend.volumeNaming();
        // A pattern is checked as the name it would be with a plain character for each pattern part.
        String example = isPattern() ? text.replaceAll("\\[[^]]*]|[*?]", "x") : text;
        return naming.problem(example).map(reason -> isPattern() ? reason.replace("'" + example + "'", "'" + text + "'")
                : reason);
    }

    /** The namespace a pattern is resolved in, under the backend's naming. */
    public String namespace(VolumeNaming naming) {
        return naming.namespaceOf(text);
    }

    /** The pattern for the names within {@link #namespace}: all of it for a backend without namespaces. */
    public NameGlob glob(VolumeNaming naming) {
        int slash = text.lastIndexOf('/');
        return NameGlob.compile(naming.namespaces() == Namespaces.NONE || slash < 0 ? text : text.substring(slash + 1));
    }

    /**
     * Whether {@code volume} is selected: the named volume itself, or a volume of the pattern's namespace
     * whose name there matches.
     */
    public boolean selects(VolumeRef volume, VolumeNaming naming) {
        if (!isPattern()) {
            return volume.locator().equals(text);
        }
        String locator = volume.locator();
        String namespace = namespace(naming);
        if (!naming.namespaceOf(locator).equals(namespace)) {
            return false;
        }
        String name = namespace.isEmpty() ? locator : locator.substring(namespace.length() + 1);
        return glob(naming).matches(name);
    }

    @Override
    public String toString() {
        return text;
    }
}
