package io.cairn.blockstore;

import io.cairn.api.VolumeNaming;
import java.util.Optional;

/**
 * Volume names of the block store backend: paths below {@code volumes_dir} ({@code vm1.img},
 * {@code images/vm1.img}); the directory part is the namespace a listing lists. No {@code .} or
 * {@code ..} parts, nothing hidden (a part starting with {@code .}, where snapshots are kept).
 */
public final class ImageNaming implements VolumeNaming {

    public static final ImageNaming INSTANCE = new ImageNaming();

    private ImageNaming() {
    }

    @Override
    public Namespaces namespaces() {
        return Namespaces.OPTIONAL;
    }

    @Override
    public String form() {
        return "a path below volumes_dir, such as vm1.img or images/vm1.img";
    }

    @Override
    public Optional<String> problem(String name) {
        return VolumeNaming.super.problem(name).or(() -> {
            for (String part : name.split("/")) {
                if (part.equals(".") || part.equals("..")) {
                    return Optional.of("'" + name + "' has a '" + part + "' part; write " + form());
                }
                if (part.startsWith(".")) {
                    return Optional.of("'" + name + "' names a hidden file or directory ('" + part + "'), which is never"
                            + " a volume; write " + form());
                }
                if (part.indexOf('\0') >= 0) {
                    return Optional.of("'" + name + "' holds a NUL character");
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public String toString() {
        return form();
    }
}
