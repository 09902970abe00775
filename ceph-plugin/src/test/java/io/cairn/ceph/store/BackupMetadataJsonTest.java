package io.cairn.ceph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BackupMetadata#toJson} writes, by hand, exactly what Jackson wrote for the metadata object before
 * (fields in order, nulls left out, map entries sorted by key, Jackson's escapes), and reads back equal.
 */
class BackupMetadataJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void aFullBackupsMetadataIsWhatJacksonWrites() throws Exception {
        Map<String, String> imageMeta = new LinkedHashMap<>();
        imageMeta.put("zeta", "last");
        imageMeta.put("alpha", "first");
        imageMeta.put("conf_rbd_cache", "false");
        BackupMetadata metadata = new BackupMetadata(2, "5f0c9a3e-0000-4000-8000-000000000001", "volumes/db1",
                "backup.5f0c9a3e-0000-4000-8000-000000000001.snap.1796103157.394932", 1L << 40,
                "2026-12-01T05:32:37.362287Z", imageMeta, Map.of("tier", "gold", "owner", "ops"), "full", null, "4");
        assertSameAsJackson(metadata);
    }

    @Test
    void escapesAndOtherScriptsAreWhatJacksonWrites() throws Exception {
        String awkward = "quote \" backslash \\ slash / tab \t newline \n return \r feed \f back \b nul \u0000 bell \u0007"
                + " unit \u001f del \u007f latin é cjk 卷 emoji \uD83D\uDCBE line sep \u2028";
        BackupMetadata metadata = new BackupMetadata(2, "id", "file:/dev/" + awkward, "snap " + awkward, 0,
                "2026-12-01T05:32:37Z", Map.of(awkward, awkward, "", ""), Map.of("k" + awkward, ""), "incremental",
                "parent-id", "");
        assertSameAsJackson(metadata);
    }

    @Test
    void anOldStyleRecordWithoutVersionTwoFieldsLeavesThemOut() throws Exception {
        assertSameAsJackson(new BackupMetadata(1, "id", "volumes/v", "s", 1, "t", null, null, null, null, null));
    }

    private static void assertSameAsJackson(BackupMetadata metadata) throws Exception {
        byte[] jackson = JACKSON.writeValueAsBytes(metadata);
        assertEquals(new String(jackson, StandardCharsets.UTF_8), new String(metadata.toJson(), StandardCharsets.UTF_8));
        assertEquals(metadata, new ObjectMapper().readValue(metadata.toJson(), BackupMetadata.class));
    }
}
