package io.cairn.api;

import java.util.Objects;
import java.util.Optional;

/**
 * How a backend's volumes are named, as far as the host needs to know it. To the host a volume name is
 * opaque text that it stores and hands back; it knows only this much of its structure:
 * <ul>
 *   <li>the part before the last {@code /} may be a <em>namespace</em> - for Ceph a pool or
 *       {@code pool/namespace}, for a directory of image files a sub-directory. A namespace is what a
 *       {@link io.cairn.api.operation.VolumeListing} lists, and schedules' patterns ({@code vm-*},
 *       {@code images/*.img}) are resolved within one: patterns are allowed after the last {@code /}
 *       only;</li>
 *   <li>{@link #problem} says whether text is a volume name at all, so schedules and command lines are
 *       checked before any cluster is contacted, in the backend's own words.</li>
 * </ul>
 * Names starting with {@code file:} are not the backend's: they name files and block devices, for
 * backends with {@link BackendCapability#FILE_SOURCES}.
 *
 * @since plugin API 1.1
 */
public interface VolumeNaming {

    /** Whether volume names have a namespace before their last {@code /}. */
    Namespaces namespaces();

    /**
     * How an operator writes a volume name, for help texts and error messages: {@code POOL/IMAGE or
     * POOL/NAMESPACE/IMAGE}, {@code a path below volumes_dir, such as vm1.img or images/vm1.img}.
     */
    String form();

    /**
     * Why {@code name} is not a volume name of this backend, or empty when it is one. Checks the form
     * only, never whether the volume exists. The default refuses blank names, names starting with
     * {@code file:}, and - for backends with namespaces - empty parts ({@code a//b}, a leading or trailing
     * {@code /}) and, when {@link Namespaces#REQUIRED}, a name without namespace. A backend that
     * overrides it should call this default first ({@code VolumeNaming.super.problem(name)}).
     */
    default Optional<String> problem(String name) {
        Objects.requireNonNull(name, "name is null");
        if (name.isBlank()) {
            return Optional.of("a volume name is empty; write " + form());
        }
        if (name.startsWith("file:")) {
            return Optional.of("'" + name + "' names a file, not a volume; write " + form());
        }
        if (namespaces() == Namespaces.NONE) {
            return Optional.empty();
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return Optional.of("'" + name + "' has an empty part between '/'; write " + form());
        }
        if (namespaces() == Namespaces.REQUIRED && name.indexOf('/') < 0) {
            return Optional.of("'" + name + "' names no namespace; write " + form());
        }
        return Optional.empty();
    }

    /** The namespace of {@code name}: what comes before its last {@code /}, or {@code ""}. */
    default String namespaceOf(String name) {
        int slash = name.lastIndexOf('/');
        return namespaces() == Namespaces.NONE || slash < 0 ? "" : name.substring(0, slash);
    }

    /** A naming with the default checks. */
    static VolumeNaming of(Namespaces namespaces, String form) {
        Objects.requireNonNull(namespaces, "namespaces is null");
        Objects.requireNonNull(form, "form is null");
        return new VolumeNaming() {
            @Override
            public Namespaces namespaces() {
                return namespaces;
            }

            @Override
            public String form() {
                return form;
            }

            @Override
            public String toString() {
                return form;
            }
        };
    }

    /**
     * What a backend offers when it does not say: names with or without a namespace before the last
     * {@code /}. Plugins built against plugin API 1.0 get it.
     */
    VolumeNaming DEFAULT = of(Namespaces.OPTIONAL, "VOLUME or NAMESPACE/VOLUME");

    /** Whether volume names have a namespace. */
    enum Namespaces {
        /** Names are flat; a {@code /} is an ordinary character. Listings get {@code ""}. */
        NONE,
        /** A name may have a namespace before its last {@code /}; one without lives in {@code ""}. */
        OPTIONAL,
        /** Every name has a namespace (for Ceph: the pool). */
        REQUIRED
    }
}
