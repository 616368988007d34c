package io.herz.examples.monitor;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.SegmentConfig;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code herz clean}: decides, for every entry of a {@link HerzDirectory.Listing}, whether it is a leftover, and
 * removes the leftovers. A leftover is
 * <ul>
 * <li>a segment whose every consumer and every producer process is dead (or that never had one) and that no other
 *     process maps or has open ({@code /proc/PID/maps} and {@code /proc/PID/fd}, see {@link FileHolders});</li>
 * <li>a temporary file {@code .NAME.creating-PID-NANOS} whose PID is dead and that nobody holds (a create killed
 *     midway).</li>
 * </ul>
 * Never removed: files of another user (only their owner removes them), symbolic links (never followed), files
 * that are not segments this version reads, anything else. Every entry kept gets a reason naming what holds it and
 * how to proceed. A subdirectory (a run directory such as {@code demo-PID}) that becomes empty is removed too.
 * <p>
 * The check and the removal are not atomic: a process that opens a ring between them finds it gone. Clean a
 * directory whose pipelines have stopped, not one where a pipeline is starting.
 */
public final class HerzCleaner
{
    /** What to do with an entry. */
    public enum Action
    {
        /** A leftover: remove it. */
        REMOVE,
        /** Keep it, for the reason given. */
        KEEP
    }

    /**
     * The decision for one entry.
     *
     * @param entry  the entry.
     * @param action remove or keep.
     * @param reason why, for a person.
     */
    public record Decision(HerzDirectory.Entry entry, Action action, String reason)
    {
    }

    private HerzCleaner()
    {
    }

    /**
     * Decide for every entry that is a Herz file, a link or a run directory's leftover; unrelated files are not
     * mentioned.
     *
     * @param listing what the directory holds.
     * @param user    the user running the clean: files of other users are kept.
     * @return one decision per Herz entry, in listing order.
     */
    public static List<Decision> plan(final HerzDirectory.Listing listing, final String user)
    {
        final List<Decision> decisions = new ArrayList<>();
        for (final HerzDirectory.Entry entry : listing.entries())
        {
            final Decision decision = decide(entry, user);
            if (decision != null)
            {
                decisions.add(decision);
            }
        }
        return Collections.unmodifiableList(decisions);
    }

    static Decision decide(final HerzDirectory.Entry entry, final String user)
    {
        switch (entry.kind())
        {
            case SYMLINK:
                return keep(entry, "symbolic link to " + entry.detail() + ", never followed: remove the link " +
                    "yourself if it is stale");
            case INVALID:
                return keep(entry, "not a segment this version can read (" + entry.detail() + "): remove it with " +
                    "rm once nothing uses it" + holdersNote(entry.holders()));
            case OTHER:
                return null;
            default:
                break;
        }
        if (!entry.mine())
        {
            return keep(entry, "owned by user " + entry.owner() + ", not by " + user +
                ": only its owner removes it (run herz clean as " + entry.owner() + ")");
        }
        if (entry.kind() == HerzDirectory.Kind.CREATING)
        {
            if (entry.creatorAlive())
            {
                return keep(entry, "being created by live pid " + entry.creatorPid());
            }
            if (!entry.holders().isEmpty())
            {
                return heldBy(entry);
            }
            return new Decision(entry, Action.REMOVE, "half-created by pid " + entry.creatorPid() +
                ", which is dead (a create killed midway)");
        }
        return decideSegment(entry);
    }

    private static Decision decideSegment(final HerzDirectory.Entry entry)
    {
        final RingView ring = entry.ring();
        final Set<String> live = new LinkedHashSet<>();
        final StringJoiner dead = new StringJoiner(", ");
        for (final RingView.ConsumerView consumer : ring.consumers())
        {
            if (consumer.pid() != 0)
            {
                if (consumer.alive())
                {
                    live.add("consumer " + consumer.name() + " pid " + consumer.pid() + qualifier(consumer.liveness()));
                }
                else
                {
                    dead.add("consumer " + consumer.name() + " pid " + consumer.pid());
                }
            }
        }
        for (final RingView.ProducerView producer : ring.producers())
        {
            final String who = "producer " + producer.producerId() + " pid " + producer.pid();
            if (producer.alive())
            {
                live.add(who + qualifier(producer.liveness()));
            }
            else
            {
                dead.add(who);
            }
        }
        if (!live.isEmpty())
        {
            return keep(entry, "in use by live " + String.join(", ", live) + ": stop " +
                (live.size() == 1 ? "it" : "them") + " first");
        }
        if (!entry.holders().isEmpty())
        {
            return heldBy(entry);
        }
        return new Decision(entry, Action.REMOVE, dead.length() == 0 ? "no consumer or producer ever attached" :
            "every owner is dead: " + dead);
    }

    private static String qualifier(final ProcessIdentity.Liveness liveness)
    {
        return liveness == ProcessIdentity.Liveness.ALIVE ? "" : " (" + RingView.describe(1, liveness) + ")";
    }

    private static Decision heldBy(final HerzDirectory.Entry entry)
    {
        return keep(entry, "mapped or open by live pid " + HerzDirectory.pids(entry.holders()) +
            ": stop that process first");
    }

    private static Decision keep(final HerzDirectory.Entry entry, final String reason)
    {
        return new Decision(entry, Action.KEEP, reason);
    }

    private static String holdersNote(final Set<Long> holders)
    {
        return holders.isEmpty() ? "" : "; mapped or open by pid " + HerzDirectory.pids(holders);
    }

    /**
     * Remove one leftover, re-checking just before that it is still the same regular file of the same owner (a
     * file replaced by a symbolic link in the meantime is left alone).
     *
     * @param decision a {@link Action#REMOVE} decision.
     * @return null when removed (or already gone), else why it could not be.
     */
    public static String remove(final Decision decision)
    {
        final Path path = decision.entry().path();
        try
        {
            final PosixFileAttributes now = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile() || !now.owner().getName().equals(decision.entry().owner()))
            {
                return "changed since it was checked: expected a regular file of " + decision.entry().owner() +
                    " (run herz clean again)";
            }
            Files.delete(path);
            return null;
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            return "cannot remove: " + ex + ": expected write permission on " + path.getParent() +
                " (run as its owner)";
        }
    }

    /**
     * Remove a run directory left empty by a clean, never the Herz directory itself nor a non-empty one.
     *
     * @param root the cleaned directory.
     * @param dir  a directory of a removed entry.
     * @return true if it was removed.
     */
    public static boolean removeIfEmpty(final Path root, final Path dir)
    {
        if (dir.equals(root) || !root.equals(dir.getParent()) || dir.equals(SegmentConfig.DEFAULT_DIRECTORY) ||
            Files.isSymbolicLink(dir))
        {
            return false;
        }
        try
        {
            Files.delete(dir);
            return true;
        }
        catch (final DirectoryNotEmptyException | NoSuchFileException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
