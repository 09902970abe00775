package io.cairn.blockstore.ops;

import io.cairn.api.model.VolumeRef;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where snapshots are kept: {@code <snapshot_dir>/<volume, URL-encoded>/<name>}, and beside each its
 * identity, {@code <name>.id} - a random id written when the snapshot is taken. A snapshot removed by
 * hand and taken again under the same name gets another one, so it is told apart.
 *
 * @param root the snapshot directory
 */
public record SnapshotFiles(Path root) {

    public Path directory(VolumeRef volume) {
        return root.resolve(URLEncoder.encode(volume.locator(), StandardCharsets.UTF_8));
    }

    public Path data(VolumeRef volume, String name) {
        return directory(volume).resolve(name);
    }

    public Path identityFile(VolumeRef volume, String name) {
        return directory(volume).resolve(name + ".id");
    }

    /** The identity of the snapshot of this name now there, or empty when there is none. */
    public Optional<String> identity(VolumeRef volume, String name) throws IOException {
        if (!Files.isRegularFile(data(volume, name))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(identityFile(volume, name), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.of("");
        }
    }
}
