package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import io.cairn.host.testing.TestCatalogs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Volume locks, on each database the catalog can live in. */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogDialect.class)
class VolumeLeasesTest {

    @Parameter
    CatalogDialect kind;

    private static final VolumeRef DB1 = new VolumeRef("volumes/db1");

    @TempDir
    Path data;

    private final MovableClock clock = new MovableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private CatalogDatabase database;
    private VolumeLeases leases;

    @BeforeEach
    void open() {
        database = CatalogDatabase.open(TestCatalogs.fresh(kind, data));
        leases = new VolumeLeases(database, Duration.ofMinutes(2), clock, ProcessIdentity.current());
    }

    @AfterEach
    void close() {
        leases.close();
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

    @ParameterizedTest(name = "{0} seen from vm/100: dead local holder {2}")
    @CsvSource({
        "vm/200#a1b2c3d4,  false, true",
        "vm/200#a1b2c3d4,  true,  false",
        "vm/100#a1b2c3d4,  false, false",
        "other/200#a1b2,   false, false",
        "vm2/200#a1b2,     false, false",
        "vm/abc#a1b2,      false, false",
        "vm/200,           false, true",
    })
    void onlyAGoneProcessOfThisHostLosesItsLeaseAtOnce(String holder, boolean alive, boolean takeOver) {
        assertEquals(takeOver, new ProcessIdentity("vm", 100).isDeadLocalHolder(holder, pid -> alive));
    }

    @Test
    void aLeaseOfADeadProcessOnThisHostIsTakenOverBeforeItExpires() {
        // A holder on this host whose pid cannot be running (beyond pid_max).
        String host = ProcessIdentity.current().host();
        database.run("plant a dead process's lease", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO volume_leases"
                    + " (cluster, volume, holder, purpose, acquired_at, expires_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, "lab");
                statement.setString(2, DB1.locator());
                statement.setString(3, host + "/99999999#deadbeef");
                statement.setString(4, "backup x");
                database.bindInstant(statement, 5, clock.instant());
                database.bindInstant(statement, 6, clock.instant().plus(Duration.ofHours(1)));
                statement.setString(7, "fsid-1=127.0.0.1:0/4242");
                return statement.executeUpdate();
            }
        });
        try (VolumeLease lease = leases.acquire("lab", DB1, "crash recovery")) {
            assertTrue(lease.isHeld());
            VolumeLeases.PreviousHolder previous = lease.takenOver().orElseThrow();
            assertEquals(host + "/99999999#deadbeef", previous.holder());
            assertEquals(Optional.of("fsid-1=127.0.0.1:0/4242"), previous.client(), "the dead holder's client, to fence");
            assertEquals("its process is no longer running on this host", previous.why());
        }
    }

    @Test
    void anExpiredHolderIsNamedWithItsClientAndAFreeVolumeNamesNone() {
        try (VolumeLease free = leases.acquire("lab", DB1, "backup 1", Optional.of("fsid-1=10.0.0.1:0/1"))) {
            assertEquals(Optional.empty(), free.takenOver());
            clock.advance(Duration.ofMinutes(3));
            try (VolumeLease taken = leases.acquire("lab", DB1, "backup 2", Optional.of("fsid-1=10.0.0.2:0/2"))) {
                VolumeLeases.PreviousHolder previous = taken.takenOver().orElseThrow();
                assertEquals(free.holder(), previous.holder());
                assertEquals("backup 1", previous.purpose());
                assertEquals(Optional.of("fsid-1=10.0.0.1:0/1"), previous.client());
                assertTrue(previous.why().startsWith("its lease expired at "), previous.why());
            }
        }
    }
}
