package io.cairn.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.operation.VerifyRequest;
import io.cairn.api.operation.VerifyResult;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import io.cairn.api.operation.VerifyResult.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract of the optional {@link io.cairn.api.operation.VerifyOperation}, for a backend whose session
 * offers {@code verification()}: added to its contract test class,
 * {@code class MyContractTest extends BackendContract implements VerifyContract}. The fixture must
 * implement {@link BackendFixture#damageStoredData}.
 *
 * <p>A verify finds a backup intact right after it was stored, finds damage done behind the backend's
 * back and names its byte range, checks a part when sampling, reports a gone restore point as damage,
 * compares the source snapshot only while it exists, and changes nothing.
 */
public interface VerifyContract {

    private BackendContract kit() {
        return (BackendContract) this;
    }

    private VerifyResult verify(BackupRef backup, boolean source, double percent) {
        ProgressRecorder progress = new ProgressRecorder();
        VerifyResult result = kit().session.verification().orElseThrow()
                .verify(new VerifyRequest(backup, source, percent, progress));
        assertNotNull(result, "verify returned null");
        assertTrue(progress.endedComplete(), "a verify reports progress, ending with bytesDone == bytesTotal: " + progress);
        return result;
    }

    @Test
    default void aBackupIsIntactRightAfterItIsStored() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("verify-intact");
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        VerifyResult result = verify(stored.ref(), false, 100);
        assertEquals(Verdict.INTACT, result.verdict(), "a backup just stored must verify intact: " + result);
        assertTrue(result.complete() && result.bytesChecked() == volume.size(), "a full verify checks every byte: " + result);
        assertEquals(List.of(), result.damaged());
        assertTrue(result.bytesRead() > 0, "a verify that read nothing of a backup holding data proved nothing: " + result);

        VerifyResult withSource = verify(stored.ref(), true, 100);
        assertEquals(Verdict.INTACT, withSource.verdict(), withSource.toString());
        assertTrue(withSource.sourceCompared(), "the source snapshot still exists, so it is compared: " + withSource);
    }

    @Test
    default void incrementalsAreIntactToo() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("verify-chain");
        StoredBackup previous = kit.backUp(volume, Optional.empty());
        for (int i = 1; i < 3 && kit.incrementalKit(); i++) {
            volume.writeRandom((long) i * (1 << 20) - 2048, 8192);
            previous = kit.backUp(volume, Optional.of(previous));
            VerifyResult result = verify(previous.ref(), true, 100);
            assertEquals(Verdict.INTACT, result.verdict(), previous + ": " + result);
        }
        assertEquals(Verdict.INTACT, verify(previous.ref(), false, 100).verdict());
    }

    @Test
    default void damageBehindTheBackendsBackIsFoundWithItsByteRange() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolume("verify-damaged");
        volume.writeRandom(0, (int) volume.size());
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        TckVolume other = kit.newVolumeWithData("verify-undamaged");
        StoredBackup untouched = kit.backUp(other, Optional.empty());
        long offset = volume.size() / 2 + 12345;
        kit.fixture.damageStoredData(stored.ref(), offset);

        VerifyResult result = verify(stored.ref(), false, 100);
        assertEquals(Verdict.CORRUPT, result.verdict(), "verify missed damage at byte " + offset + ": " + result);
        assertFalse(result.damaged().isEmpty());
        assertTrue(result.damaged().stream().anyMatch(r -> r.offset() <= offset && offset < r.end()),
                "the damaged ranges " + result.damaged() + " do not hold byte " + offset);
        for (DamagedRange range : result.damaged()) {
            assertTrue(range.length() < volume.size(), "a damaged range should name the damage, not the whole volume: "
                    + range);
            assertFalse(range.problem().isBlank(), "a damaged range says what is wrong");
        }
        assertEquals(Verdict.INTACT, verify(untouched.ref(), false, 100).verdict(),
                "damage to one backup's data was reported for another");
    }

    @Test
    default void aSampleChecksAPartAndFindsNothingWhereNothingIsWrong() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("verify-sample");
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        VerifyResult sample = verify(stored.ref(), false, 10);
        assertEquals(Verdict.INTACT, sample.verdict(), sample.toString());
        assertTrue(sample.bytesChecked() > 0 && sample.bytesChecked() < volume.size(),
                "a sample of 10% checks a part, not nothing and not all: " + sample.bytesChecked() + " of " + volume.size());
        assertFalse(sample.complete());
    }

    @Test
    default void aVerifyChangesNothing() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("verify-read-only");
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        Set<String> before = new TreeSet<>(kit.fixture.storageObjects());
        verify(stored.ref(), true, 100);
        verify(stored.ref(), false, 30);
        assertEquals(before, new TreeSet<>(kit.fixture.storageObjects()), "a verify changed backup storage");
        assertTrue(kit.fixture.snapshotExists(volume.ref(), stored.snapshot().name()), "a verify removed the source snapshot");
        kit.assertRestores(stored);
    }

    @Test
    default void aGoneRestorePointIsDamageAndAGoneSnapshotIsNotCompared() {
        BackendContract kit = kit();
        TckVolume volume = kit.newVolumeWithData("verify-gone");
        StoredBackup stored = kit.backUp(volume, Optional.empty());
        kit.session.snapshots().remove(stored.snapshot());
        VerifyResult noSource = verify(stored.ref(), true, 100);
        assertEquals(Verdict.INTACT, noSource.verdict(), noSource.toString());
        assertFalse(noSource.sourceCompared(), "the source snapshot is gone, yet it was compared: " + noSource);
        assertFalse(noSource.notes().isEmpty(), "a note says why the source was not compared");

        kit.delete(stored.ref());
        VerifyResult gone = verify(stored.ref(), false, 100);
        assertEquals(Verdict.CORRUPT, gone.verdict(), "a deleted backup's restore point is gone, which is damage: " + gone);
    }
}
