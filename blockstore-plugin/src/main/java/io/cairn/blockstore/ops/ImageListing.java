package io.cairn.blockstore.ops;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.VolumeListing;
import io.cairn.blockstore.ImageFile;
import io.cairn.blockstore.ImageNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The volumes of one directory below {@code volumes_dir}: its image files and block devices (symlinks
 * to them), not its sub-directories, nothing hidden.
 */
public final class ImageListing implements VolumeListing {

    private final StoreContext store;

    public ImageListing(StoreContext store) {
        this.store = store;
    }

    @Override
    public List<VolumeRef> list(String namespace) {
        if (!namespace.isEmpty() && ImageNaming.INSTANCE.problem(namespace).isPresent()) {
            throw new VolumeNotFoundException("'" + namespace + "' is no directory of volumes: "
                    + ImageNaming.INSTANCE.problem(namespace).get());
        }
        Path dir = namespace.isEmpty() ? store.volumesDir() : store.volumesDir().resolve(namespace);
        if (!Files.isDirectory(dir)) {
            throw new VolumeNotFoundException("directory " + dir + " does not exist on cluster " + store.clusterName());
        }
        List<VolumeRef> volumes = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                VolumeRef volume = new VolumeRef(namespace.isEmpty() ? name : namespace + "/" + name);
                if (Files.isRegularFile(entry) || (Files.exists(entry) && ImageFile.of(volume, store.volumesDir()).isBlockDevice())) {
                    volumes.add(volume);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        volumes.sort(Comparator.comparing(VolumeRef::locator));
        return volumes;
    }
}
