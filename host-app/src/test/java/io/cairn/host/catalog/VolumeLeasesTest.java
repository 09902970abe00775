package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.config.CatalogSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeLeasesTest {

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");

    @TempDir
    Path data;

    private final MovableClock clock = new MovableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private CatalogDatabase database;
    private VolumeLeases leases;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(new CatalogSettings("jdbc:h2:file:" + data.resolve("catalog"), Optional.empty(),
                Optional.empty()));
        leases = new VolumeLeases(database, Duration.ofMinutes(2), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aSecondHolderIsRefusedWithWhoHoldsItAndSinceWhen() {
        try (VolumeLease first = leases.acquire("lab", DB1, "backup 1111")) {
            VolumeBusyException e = assertThrows(VolumeBusyException.class, () -> leases.acquire("lab", DB1, "backup 2222"));
            assertTrue(e.getMessage().startsWith("volume volumes/db1 on cluster lab is busy: backup 1111 by "
                    + first.holder() + " since 2025-03-01T12:00:00Z"), e.getMessage());
        }
    }

    @Test
    void otherVolumesAndClustersAreIndependent() {
        try (VolumeLease a = leases.acquire("lab", DB1, "backup a");
                VolumeLease b = leases.acquire("lab", new VolumeRef("volumes/db2"), "backup b");
                VolumeLease c = leases.acquire("prod", DB1, "backup c")) {
            assertTrue(a.isHeld() && b.isHeld() && c.isHeld());
        }
    }

    @Test
    void releasingFreesTheVolume() {
        leases.acquire("lab", DB1, "backup 1").close();
        try (VolumeLease again = leases.acquire("lab", DB1, "backup 2")) {
            assertTrue(again.isHeld());
        }
    }

    @Test
    void anExpiredLeaseOfACrashedHolderIsTakenOver() {
        VolumeLease crashed = leases.acquire("lab", DB1, "backup 1");
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertEquals(Optional.empty(), leases.describeHolder("lab", DB1));
        try (VolumeLease taken = leases.acquire("lab", DB1, "backup 2")) {
            assertTrue(leases.describeHolder("lab", DB1).orElseThrow().startsWith("backup 2 by " + taken.holder()));
            // The crashed holder's release must not free the new holder's lease.
            crashed.close();
            assertThrows(VolumeBusyException.class, () -> leases.acquire("lab", DB1, "backup 3"));
        }
    }

    @Test
    void renewalPushesTheExpiryOut() {
        try (VolumeLease lease = leases.acquire("lab", DB1, "backup 1")) {
            clock.advance(Duration.ofSeconds(100));
            assertTrue(leases.renew("lab", DB1, lease.holder()));
            clock.advance(Duration.ofSeconds(100));
            assertThrows(VolumeBusyException.class, () -> leases.acquire("lab", DB1, "backup 2"));
        }
    }

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
