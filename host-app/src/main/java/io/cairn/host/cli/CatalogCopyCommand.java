package io.cairn.host.cli;

import io.cairn.host.catalog.CatalogCopy;
import io.cairn.host.catalog.CatalogDatabase;
import io.cairn.host.config.CatalogSettings;
import io.cairn.host.config.ConfDirectory;
import io.cairn.host.config.HostSettings;
import io.cairn.host.config.HostOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cairn catalog copy --to URL}: copies this host's catalog (or {@code --from}'s) into another database, the
 * way from the embedded catalog to a PostgreSQL one that several hosts share, and back. See {@link CatalogCopy}
 * for what is copied. Passwords come from files, never from the command line (where {@code ps} shows them).
 */
@Command(mixinStandardHelpOptions = true, name = "copy", description = {
    "Copy the catalog into another database: every backup record and schedule firing. Volume locks are",
    "not copied (stop cairn serve first), nor the scheduler's jobs (serve rebuilds them from",
    "conf/schedules/). Then point catalog_url at the copy."})
final class CatalogCopyCommand implements Callable<Integer> {

    static final String EMBEDDED = "embedded";

    @ParentCommand
    private CatalogToolCommand parent;

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "JDBC URL of the target (jdbc:postgresql://HOST/DATABASE), or 'embedded' for data_dir/catalog.db.")
    private String to;

    @Option(names = "--to-user", paramLabel = "USER", description = "Database user for --to.")
    private String toUser;

    @Option(names = "--to-password-file", paramLabel = "FILE", description = "File holding the password for --to.")
    private Path toPasswordFile;

    @Option(names = "--from", paramLabel = "URL",
            description = "Copy from this JDBC URL (or 'embedded') instead of the catalog cairn.yaml names.")
    private String from;

    @Option(names = "--from-user", paramLabel = "USER", description = "Database user for --from.")
    private String fromUser;

    @Option(names = "--from-password-file", paramLabel = "FILE", description = "File holding the password for --from.")
    private Path fromPasswordFile;

    @Option(names = "--replace", description = "Empty a target that already holds backups or firings first.")
    private boolean replace;

    @Override
    public Integer call() {
        CairnCli cli = parent.cli();
        HostSettings host = ConfDirectory.at(cli.confDir()).hostSettings();
        CatalogSettings configured = host.catalog();
        CatalogSettings source = from == null ? configured
                : settings(from, fromUser, fromPasswordFile, "--from", host, configured);
        CatalogSettings target = settings(to, toUser, toPasswordFile, "--to", host, configured);
        if (source.url().equals(target.url())) {
            throw new UsageException("--to names the catalog being copied (" + target.displayUrl() + ")");
        }
        createDataDir(host);
        try (CatalogDatabase sourceDatabase = CatalogDatabase.open(source);
                CatalogDatabase targetDatabase = CatalogDatabase.open(target)) {
            CatalogCopy.Result result = new CatalogCopy(sourceDatabase, targetDatabase, Clock.systemUTC()).copy(replace);
            cli.environment().out().println("copied " + result.backups() + " backup records (" + result.notDeleted()
                    + " not deleted) and " + result.firings() + " schedule firings from " + source.displayUrl()
                    + " to " + target.displayUrl() + (result.replaced() ? ", replacing what it held" : ""));
            cli.environment().out().println("not copied: volume locks, and the scheduler's jobs, which cairn serve"
                    + " rebuilds from conf/schedules/ at its next start");
            if (target.url().equals(HostOptions.embeddedUrl(host.dataDir()))) {
                cli.environment().out().println("next: remove catalog_url from cairn.yaml (the embedded catalog is"
                        + " the default) and start cairn serve");
            } else {
                cli.environment().out().println("next: set catalog_url: " + target.displayUrl()
                        + " (with catalog_user and catalog_password) in cairn.yaml on every host, then start"
                        + " cairn serve");
            }
        }
        return ErrorReport.OK;
    }

    private static CatalogSettings settings(String url, String user, Path passwordFile, String option, HostSettings host,
            CatalogSettings configured) {
        String jdbcUrl = EMBEDDED.equals(url) ? HostOptions.embeddedUrl(host.dataDir()) : url;
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new UsageException(option + " must be a JDBC URL (jdbc:postgresql://HOST/DATABASE) or 'embedded', not "
                    + CatalogSettings.displayUrl(url));
        }
        return new CatalogSettings(jdbcUrl, Optional.ofNullable(user), password(passwordFile, option),
                configured.timeout());
    }

    private static Optional<String> password(Path file, String option) {
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UsageException(option + "-password-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void createDataDir(HostSettings host) {
        try {
            Files.createDirectories(host.dataDir());
        } catch (IOException e) {
            throw new UsageException("cannot create data_dir " + host.dataDir() + ": " + e.getMessage());
        }
    }
}
