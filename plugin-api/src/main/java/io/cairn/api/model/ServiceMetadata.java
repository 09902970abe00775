package io.cairn.api.model;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a backend needs to find a stored backup again (for the Ceph backend, the name of the base
 * image). Opaque to the host: returned by a transfer, kept in the catalog, handed back on restore and
 * delete.
 */
public record ServiceMetadata(Map<String, String> entries) {

    public static final ServiceMetadata EMPTY = new ServiceMetadata(Map.of());

    public ServiceMetadata {
        if (entries == null) {
            throw new NullPointerException("entries is null");
        }
        // Sorted, so that what the catalog stores is stable from one run to the next.
        entries = java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public static ServiceMetadata of(String key, String value) {
        return new ServiceMetadata(Map.of(key, value));
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }
}
