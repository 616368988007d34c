package io.herz.examples;

import io.herz.examples.monitor.HerzCleaner;
import io.herz.examples.monitor.HerzDirectory;
import io.herz.ipc.segment.SegmentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code herz clean}: removes what crashed or killed processes left under the Herz directory (see
 * {@link HerzCleaner} for what counts as a leftover), and says why everything else stays.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = "Remove segments whose every consumer and producer is dead and that no process maps or has " +
        "open (read from /proc/PID/maps and /proc/PID/fd; run as root to see every process), and half-created " +
        ".NAME.creating-PID-* files of dead PIDs. Never follows symbolic links, never removes another user's " +
        "files. Exit code 1 if a removal failed.")
public final class CleanCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Herz directory (default: /dev/shm/herz).")
    private Path dir;

    @Option(names = {"-n", "--dry-run"}, description = "Say what would be removed, remove nothing.")
    private boolean dryRun;

    public Integer call()
    {
        final Path root = dir == null ? SegmentConfig.DEFAULT_DIRECTORY : dir;
        final HerzDirectory.Listing listing = HerzDirectory.scan(root);
        final PrintWriter out = spec.commandLine().getOut();
        final Path base = listing.root();
        final Set<Path> touchedDirs = new LinkedHashSet<>();
        int removed = 0;
        int kept = 0;
        int failed = 0;
        for (final HerzCleaner.Decision decision : HerzCleaner.plan(listing, System.getProperty("user.name")))
        {
            final Path path = decision.entry().path();
            if (decision.action() == HerzCleaner.Action.KEEP)
            {
                out.println("left alone: " + path + ": " + decision.reason());
                kept++;
            }
            else if (dryRun)
            {
                out.println("would remove: " + path + ": " + decision.reason());
                removed++;
            }
            else
            {
                final String problem = HerzCleaner.remove(decision);
                if (problem == null)
                {
                    out.println("removed: " + path + ": " + decision.reason());
                    touchedDirs.add(path.getParent());
                    removed++;
                }
                else
                {
                    out.println("not removed: " + path + ": " + problem);
                    failed++;
                }
            }
        }
        for (final Path touched : touchedDirs)
        {
            if (HerzCleaner.removeIfEmpty(base, touched))
            {
                out.println("removed: " + touched + "/: empty run directory");
            }
        }
        out.printf("%s %d, left alone %d%s%n", dryRun ? "would remove" : "removed", removed, kept,
            failed == 0 ? "" : ", failed " + failed);
        if (!listing.unreadable().isEmpty())
        {
            out.printf("note: the memory maps of %d processes could not be read (permission denied: pids %s): a " +
                "segment only they map would look unused; run as root to check every process%n",
                listing.unreadable().size(), LsCommand.summary(listing.unreadable()));
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
