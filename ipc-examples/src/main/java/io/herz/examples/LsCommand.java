package io.herz.examples;

import io.herz.examples.monitor.HerzDirectory;
import io.herz.examples.monitor.RingView;
import io.herz.ipc.segment.SegmentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code herz ls}: the segments under the Herz directory with their owners (live or dead), sizes and lag, plus
 * half-created temporary files, links and anything else found there.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List the segments under the Herz directory and its run subdirectories: owners (consumer and " +
        "producer pids, live or dead), processes mapping them, sizes, lag; also half-created files, links " +
        "(not followed) and other entries.")
public final class LsCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Herz directory (default: /dev/shm/herz).")
    private Path dir;

    public Integer call()
    {
        final Path root = dir == null ? SegmentConfig.DEFAULT_DIRECTORY : dir;
        final HerzDirectory.Listing listing = HerzDirectory.scan(root);
        final StringBuilder sb = new StringBuilder();
        append(sb, listing);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(sb);
        out.flush();
        return 0;
    }

    static void append(final StringBuilder sb, final HerzDirectory.Listing listing)
    {
        final Path root = listing.root();
        sb.append(root).append(": ").append(listing.entries().size()).append(listing.entries().size() == 1 ?
            " entry" : " entries").append('\n');
        for (final HerzDirectory.Entry entry : listing.entries())
        {
            final String name = root.relativize(entry.path()) + (entry.directory() ? "/" : "");
            sb.append(String.format("%-9s %s  %s  owner %s", entry.kind().name().toLowerCase(), name,
                size(entry.size()), entry.owner()));
            switch (entry.kind())
            {
                case SEGMENT -> appendSegment(sb, entry);
                case CREATING -> sb.append(String.format("  %s, creator pid %d %s%n", entry.detail(),
                    entry.creatorPid(), entry.creatorAlive() ? "alive" : "dead (a create killed midway)"));
                case SYMLINK -> sb.append("  -> ").append(entry.detail()).append(" (not followed)\n");
                default -> sb.append("  ").append(entry.detail()).append('\n');
            }
            if (!entry.holders().isEmpty())
            {
                sb.append("    mapped or open by pid ").append(HerzDirectory.pids(entry.holders())).append('\n');
            }
        }
        if (!listing.unreadable().isEmpty())
        {
            sb.append(String.format("note: the memory maps of %d processes could not be read (permission denied: " +
                "pids %s); run as root to see every holder%n", listing.unreadable().size(),
                summary(listing.unreadable())));
        }
    }

    private static void appendSegment(final StringBuilder sb, final HerzDirectory.Entry entry)
    {
        final RingView ring = entry.ring();
        sb.append(String.format("  capacity %s  lag %,d B  %s%n", size(ring.capacity()), ring.lagBytes(),
            entry.inUse() ? "in use" : "unused: every owner is dead " +
                (entry.mine() ? "(herz clean removes it)" :
                    "(owned by " + entry.owner() + ": herz clean run by " + entry.owner() + " removes it)")));
        for (final RingView.ConsumerView consumer : ring.consumers())
        {
            sb.append(String.format("    consumer %s pid %s  position %,d  lag %,d B  consumed %,d%n",
                consumer.name(), consumer.pid() == 0 ? "- (none attached)" :
                    consumer.pid() + " " + RingView.describe(consumer.pid(), consumer.liveness()),
                consumer.position(), ring.lagBytes(consumer), consumer.recordsConsumed()));
        }
        for (final RingView.ProducerView producer : ring.producers())
        {
            sb.append(String.format("    producer slot %d id %d pid %d %s  records %,d%n", producer.slot(),
                producer.producerId(), producer.pid(), RingView.describe(producer.pid(), producer.liveness()),
                producer.recordsOffered()));
        }
    }

    static String size(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    static String summary(final List<Long> pids)
    {
        final int shown = Math.min(pids.size(), 10);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(pids.get(i));
        }
        return pids.size() > shown ? sb + ", ..." : sb.toString();
    }
}
