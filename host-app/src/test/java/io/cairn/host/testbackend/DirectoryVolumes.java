package io.cairn.host.testbackend;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VolumeListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The volumes of a pool: the files in {@code volumes_dir/POOL}, sorted. */
final class DirectoryVolumes implements VolumeListing {

    private final DirectoryLayout layout;

    DirectoryVolumes(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public List<VolumeRef> list(String pool) {
        Path dir = layout.volumesDir().resolve(pool);
        if (!Files.isDirectory(dir)) {
            throw new VolumeNotFoundException("pool " + pool + " does not exist (" + dir + ")");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> new VolumeRef(pool + "/" + file.getFileName()))
                    .sorted((a, b) -> a.locator().compareTo(b.locator()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
