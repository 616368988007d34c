package io.herz.ipc.status;

import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Administration of a ring's consumer names for the command line ({@code herz consumers}), which may not use the
 * ring package itself: list them and remove one. Slow path; allocates.
 * <ul>
 * <li>{@link #list(Path)} is a validated, read-only snapshot ({@link SegmentStatus#consumers()}): it never writes
 * the segment.</li>
 * <li>{@link #remove(Path, String, boolean)} removes a name through {@link RingConsumers#remove}: its position stops
 * holding the producers back at once, so producers back-pressured on it proceed. A name with a live process
 * attached is refused, naming the process, unless {@code force} is given: then that process is detached first
 * (its owner token cleared by CAS, as the process's own close does) and the name removed. Force is for a holder
 * that is stopped, hung or will be killed: the ring no longer waits for it, so if it resumes reading it may find
 * its records overwritten by producers; it can no longer hold anyone back, and its own close is a no-op.</li>
 * </ul>
 */
public final class ConsumerAdmin
{
    private static final int FORCE_ATTEMPTS = 16;

    private ConsumerAdmin()
    {
    }

    /**
     * What {@link #remove(Path, String, boolean)} did.
     *
     * @param ring         absolute path of the ring's segment.
     * @param name         the consumer name removed.
     * @param position     its position when it was removed.
     * @param detachedPid  pid of the live process detached by force, 0 when none was attached or it was dead.
     * @param lagBytes     bytes it had not released when removed (what the producers were held back by).
     */
    public record Removal(String ring, String name, long position, long detachedPid, long lagBytes)
    {
    }

    /**
     * List a ring's registered consumer names, read-only.
     *
     * @param ring the segment file.
     * @return the consumers in slot order.
     * @throws SegmentException if the file is not a valid segment or holds a corrupt value.
     */
    public static List<SegmentStatus.ConsumerStatus> list(final Path ring)
    {
        return SegmentStatus.read(ring).consumers();
    }

    /**
     * Remove a consumer name from a ring.
     *
     * @param ring  the segment file.
     * @param name  the consumer name.
     * @param force detach a live process attached to the name instead of refusing.
     * @return what was removed.
     * @throws SegmentException if the file is not a valid segment, the name is not registered, or a live process
     *                          is attached and {@code force} is false (the message names its pid).
     */
    public static Removal remove(final Path ring, final String name, final boolean force)
    {
        try (Segment segment = Segment.open(ring, new SegmentConfig().openTimeoutMs(0)))
        {
            for (int attempt = 0; attempt < FORCE_ATTEMPTS; attempt++)
            {
                final SegmentStatus status = SegmentStatus.capture(segment);
                final SegmentStatus.ConsumerStatus consumer = find(status, name);
                if (consumer == null)
                {
                    throw new SegmentException(segment.path(), "consumer " + name + " is not registered: expected " +
                        "one of " + names(status));
                }
                long detachedPid = 0;
                if (consumer.attachedAndAlive())
                {
                    if (!force)
                    {
                        throw new SegmentException(segment.path(), "consumer " + name + " is in use: expected no " +
                            "live process attached, found pid=" + consumer.pid() + " (" +
                            consumer.liveness().name().toLowerCase(Locale.ROOT) +
                            "); stop it, or remove with --force to detach it");
                    }
                    if (!detach(segment, consumer.slot()))
                    {
                        continue; // the holder changed meanwhile: look again
                    }
                    detachedPid = consumer.pid();
                }
                try
                {
                    if (RingConsumers.remove(segment, name))
                    {
                        return new Removal(segment.path().toString(), name, consumer.position(), detachedPid,
                            consumer.lagBytes());
                    }
                }
                catch (final SegmentException inUse)
                {
                    if (!force)
                    {
                        throw inUse; // a process attached between the snapshot and the removal
                    }
                    // with force: detach the newcomer on the next attempt
                }
            }
            throw new SegmentException(segment.path(), "consumer " + name + " could not be removed: expected its " +
                "holder to stay detached, found it re-attached on each of " + FORCE_ATTEMPTS + " attempts");
        }
    }

    /**
     * Detach the process attached to a consumer slot: clear the owner token it holds, by CAS, so that a process
     * that attaches meanwhile is not detached unseen.
     *
     * @return true if the token was cleared or already 0.
     */
    private static boolean detach(final Segment segment, final int slotIndex)
    {
        final int ownerOffset = SegmentDescriptor.consumerSlotOffset(slotIndex) +
            ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET;
        final long holder = segment.buffer().getLongAcquire(ownerOffset);
        if (holder == 0)
        {
            return true;
        }
        // F15 CAS (consumer owner): the same step as the holder's own detach on close; pairs with the F15 CAS of
        // RingConsumers.attach, so exactly one of a new holder's attach and this detach sees the other.
        return segment.buffer().compareAndSetLong(ownerOffset, holder, 0);
    }

    private static SegmentStatus.ConsumerStatus find(final SegmentStatus status, final String name)
    {
        for (final SegmentStatus.ConsumerStatus consumer : status.consumers())
        {
            if (consumer.name().equals(name))
            {
                return consumer;
            }
        }
        return null;
    }

    private static String names(final SegmentStatus status)
    {
        final List<String> names = new ArrayList<>();
        for (final SegmentStatus.ConsumerStatus consumer : status.consumers())
        {
            names.add(consumer.name());
        }
        return names.isEmpty() ? "none (no consumer is registered)" : String.join(", ", names);
    }
}
