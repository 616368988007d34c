package io.herz.examples;

import io.herz.examples.monitor.RingView;
import io.herz.examples.monitor.StatJson;
import io.herz.ipc.status.ConsumerAdmin;
import io.herz.ipc.status.SegmentStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code herz consumers}: list a ring's consumer names (fan-out, ring layout version 2) with their process, liveness,
 * position and lag, and say which one holds the producers back; or remove one. Removing a name releases what it
 * held: producers back-pressured on it proceed at once. A name with a live process attached is refused, naming the
 * process, unless {@code --force} detaches it (for a process that is stopped or hung; see {@link ConsumerAdmin}).
 * With {@code --json} the listing is one JSON document on one line ({@link StatJson#renderConsumers}: the fields of
 * the text listing, as {@code herz stat --json} writes a ring's consumers).
 */
@Command(name = "consumers", mixinStandardHelpOptions = true,
    description = "List the consumer names of a ring (name, pid, liveness, position, lag, records consumed) and " +
        "which one holds the producers back, or remove one (--remove NAME): its position stops holding the " +
        "producers back at once. A name with a live process attached is refused unless --force.")
public final class ConsumersCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--ring", required = true, paramLabel = "PATH", description = "The ring's segment file.")
    private Path ring;

    @Option(names = "--remove", paramLabel = "NAME", description = "Remove this consumer name from the ring.")
    private String remove;

    @Option(names = "--force", description = "With --remove: detach a live process attached to the name instead " +
        "of refusing (the ring stops waiting for it; kill it afterwards).")
    private boolean force;

    @Option(names = "--json", description = "Print the listing as one JSON document on one line (the consumer " +
        "fields of herz stat --json) instead of text; not with --remove.")
    private boolean json;

    public Integer call()
    {
        if (force && remove == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--force needs --remove NAME");
        }
        if (json && remove != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--json lists consumers: it cannot be " +
                "combined with --remove");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Path path = ring.toAbsolutePath();
        if (remove != null)
        {
            final ConsumerAdmin.Removal removal = ConsumerAdmin.remove(path, remove, force);
            out.printf("removed consumer %s from %s: it was at position %,d, holding back %s%s%n", removal.name(),
                removal.ring(), removal.position(), RingView.bytes(removal.lagBytes()),
                removal.detachedPid() == 0 ? "" : "; detached live pid " + removal.detachedPid() +
                    " (--force: kill it, it no longer holds the ring)");
            out.flush();
            return 0;
        }
        final RingView view = RingView.of(SegmentStatus.read(path));
        out.print(json ? StatJson.renderConsumers(view) + System.lineSeparator() : render(view));
        out.flush();
        return 0;
    }

    static String render(final RingView view)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d consumer%s, tail %,d; %s%n", view.path(), view.consumers().size(),
            view.consumers().size() == 1 ? "" : "s", view.tailPosition(), view.describeSlowest()));
        if (view.consumers().isEmpty())
        {
            return sb.toString();
        }
        sb.append(String.format("  %-20s %8s  %-12s %16s %12s %14s %10s  %s%n", "NAME", "PID", "LIVENESS",
            "POSITION", "LAG", "CONSUMED", "HEARTBEAT", "DROP AFTER"));
        final RingView.ConsumerView slowest = view.slowestConsumer();
        for (final RingView.ConsumerView consumer : view.consumers())
        {
            final long age = view.ageMs(consumer.heartbeatMs());
            sb.append(String.format("  %-20s %8s  %-12s %,16d %12s %,14d %10s  %s%s%n", consumer.name(),
                consumer.pid() == 0 ? "-" : Long.toString(consumer.pid()), liveness(consumer), consumer.position(),
                RingView.bytes(view.lagBytes(consumer)), consumer.recordsConsumed(),
                age < 0 ? "-" : age + " ms", consumer.dropAfterMs() == 0 ? "never" : consumer.dropAfterMs() + " ms",
                consumer == slowest ? "  <- slowest" : ""));
        }
        return sb.toString();
    }

    private static String liveness(final RingView.ConsumerView consumer)
    {
        if (consumer.pid() == 0)
        {
            return "detached";
        }
        return switch (consumer.liveness())
        {
            case ALIVE -> "alive";
            case DEAD -> "dead";
            case FOREIGN_NAMESPACE -> "foreign-ns";
            case UNKNOWN -> "unknown";
        };
    }
}
