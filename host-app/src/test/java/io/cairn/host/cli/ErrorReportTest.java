package io.cairn.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.error.UnreachableException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.host.backup.OperationFailedException;
import io.cairn.host.catalog.BackupNotFoundException;
import io.cairn.host.catalog.CatalogException;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.config.ConfigurationException;
import io.cairn.host.config.ConfigurationProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorReportTest {

    static Stream<Arguments> failures() {
        ConfigurationException config = new ConfigurationException(List.of(
                new ConfigurationProblem(Path.of("conf/clusters/lab.yaml"), "options.pool", "required, but not set"),
                new ConfigurationProblem(Path.of("conf/clusters/lab.yaml"), "options.colour", "unknown option")));
        return Stream.of(
                Arguments.of(config, 2, "configuration error:\n  conf/clusters/lab.yaml: options.pool: required, but not set\n"
                        + "  conf/clusters/lab.yaml: options.colour: unknown option"),
                Arguments.of(new InvalidConfigurationException("conf", "file /x does not exist"), 2,
                        "configuration error: conf: file /x does not exist"),
                Arguments.of(new UsageException("the volume is empty"), 2, "the volume is empty"),
                Arguments.of(new UnreachableException("cluster lab: no answer from 127.0.0.1:1 in 30 s"), 1,
                        "cluster lab: no answer from 127.0.0.1:1 in 30 s"),
                Arguments.of(new VolumeNotFoundException("volumes/nope does not exist"), 1, "volumes/nope does not exist"),
                Arguments.of(new ChainBrokenException("parent gone"), 1, "parent gone"),
                Arguments.of(new BackendException("boom"), 1, "boom"),
                Arguments.of(new VolumeBusyException("volume v on cluster c is busy"), 1, "volume v on cluster c is busy"),
                Arguments.of(new BackupNotFoundException("no backup 'x' in the catalog"), 1, "no backup 'x' in the catalog"),
                Arguments.of(new OperationFailedException("backup b failed: why"), 1, "backup b failed: why"),
                Arguments.of(new CatalogException("cannot open the catalog database jdbc:h2:x", null), 1,
                        "cannot open the catalog database jdbc:h2:x"),
                Arguments.of(new NullPointerException(), 1,
                        "java.lang.NullPointerException (run with -vv for the stack trace)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void exitCodeAndMessage(Throwable failure, int exitCode, String message) {
        ErrorReport report = ErrorReport.of(failure);
        assertEquals(exitCode, report.exitCode());
        assertEquals(message, report.message());
    }
}
