package io.herz.ipc.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The operating system's process table as {@link ProcessIdentity} reads it: {@code /proc} under a root that tests
 * replace with a fake one, or {@link ProcessHandle} where {@code /proc} is not usable.
 * <p>
 * {@code /proc} is usable when {@code ROOT/self/stat} parses and names the pid this JVM has: a {@code /proc}
 * mounted from another pid namespace would name another one, and then every answer would be about the wrong
 * processes.
 * <p>
 * The liveness probe on {@code /proc} ({@link #liveness(long, long)}) allocates nothing in steady state: each
 * probing thread has its own {@link StatProbe} (a direct buffer, a byte parser and the open {@code stat} files of
 * the last few live processes it was asked about). Identities ({@link #identityOf(long)}, this process's at
 * construction) are slow paths and read files the simple way.
 */
final class ProcessTable
{
    private final Path root;
    private final long selfPid;
    private final boolean procAvailable;
    private final ProcessIdentity self;
    private final ThreadLocal<StatProbe> probes = ThreadLocal.withInitial(this::newProbe);

    /**
     * @param root    the {@code /proc} directory to read (a fake one in tests).
     * @param selfPid the pid of the process this table answers for as "self".
     */
    ProcessTable(final Path root, final long selfPid)
    {
        this.root = root;
        this.selfPid = selfPid;
        final Stat selfStat = readStat(root.resolve("self").resolve("stat"));
        this.procAvailable = selfStat != null && selfStat.pid == selfPid;
        final long startTime;
        if (procAvailable)
        {
            startTime = selfStat.startTime;
        }
        else
        {
            startTime = fallbackStartTime(ProcessHandle.current());
        }
        this.self = new ProcessIdentity(selfPid, startTime, readNamespace(root.resolve("self")));
    }

    boolean isProcAvailable()
    {
        return procAvailable;
    }

    ProcessIdentity self()
    {
        return self;
    }

    Optional<ProcessIdentity> identityOf(final long pid)
    {
        if (pid <= 0)
        {
            return Optional.empty();
        }
        if (pid == selfPid)
        {
            return Optional.of(self);
        }
        if (!procAvailable)
        {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> new ProcessIdentity(pid, fallbackStartTime(handle), ProcessIdentity.UNKNOWN_NAMESPACE));
        }
        final Path dir = root.resolve(Long.toString(pid));
        final Stat stat = readStat(dir.resolve("stat"));
        if (stat == null || stat.isGone())
        {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, stat.startTime, readNamespace(dir)));
    }

    ProcessIdentity.Liveness liveness(final long token, final long recordedNamespace)
    {
        final long pid = ProcessIdentity.pidOf(token);
        if (pid <= 0)
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        if (recordedNamespace != ProcessIdentity.UNKNOWN_NAMESPACE &&
            self.pidNamespace() != ProcessIdentity.UNKNOWN_NAMESPACE &&
            recordedNamespace != self.pidNamespace())
        {
            return ProcessIdentity.Liveness.FOREIGN_NAMESPACE;
        }
        if (pid == selfPid)
        {
            return token == self.token() ? ProcessIdentity.Liveness.ALIVE : ProcessIdentity.Liveness.DEAD;
        }
        return procAvailable ? procLiveness(pid, token) : fallbackLiveness(pid, token);
    }

    private ProcessIdentity.Liveness procLiveness(final long pid, final long token)
    {
        return probes.get().liveness(pid, token);
    }

    private static ProcessIdentity.Liveness fallbackLiveness(final long pid, final long token)
    {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        final Optional<Instant> start = handle.get().info().startInstant();
        if (start.isEmpty())
        {
            return ProcessIdentity.Liveness.UNKNOWN;
        }
        return ProcessIdentity.token(pid, start.get().toEpochMilli()) == token ?
            ProcessIdentity.Liveness.ALIVE : ProcessIdentity.Liveness.DEAD;
    }

    private static long fallbackStartTime(final ProcessHandle handle)
    {
        // 1, never 0 (which means "free" in a slot), when the OS does not report a start time.
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(1L);
    }

    /**
     * @return the number of {@code stat} files the calling thread's probe keeps open (tests).
     */
    int openStatChannels()
    {
        return probes.get().openChannels();
    }

    private StatProbe newProbe()
    {
        return new StatProbe(root);
    }

    /**
     * The pid namespace of the process whose {@code /proc} directory is {@code dir}: the inode in the link text
     * {@code pid:[4026531836]}, as {@link ProcessIdentity#namespaceId(long)} stores it (32 bits).
     */
    static long readNamespace(final Path dir)
    {
        try
        {
            final String link = Files.readSymbolicLink(dir.resolve("ns").resolve("pid")).toString();
            final int open = link.indexOf('[');
            final int close = link.lastIndexOf(']');
            if (link.startsWith("pid:") && open > 0 && close > open + 1)
            {
                return ProcessIdentity.namespaceId(Long.parseUnsignedLong(link.substring(open + 1, close)));
            }
            return ProcessIdentity.UNKNOWN_NAMESPACE;
        }
        catch (final IOException | UnsupportedOperationException | SecurityException | NumberFormatException ex)
        {
            return ProcessIdentity.UNKNOWN_NAMESPACE;
        }
    }

    private static Stat readStat(final Path file)
    {
        try
        {
            return parseStat(Files.readAllBytes(file));
        }
        catch (final IOException | SecurityException ex)
        {
            return null;
        }
    }

    /**
     * Parse {@code /proc/PID/stat} text with the probe's parser ({@link StatParser}; slow paths and tests).
     *
     * @return the parsed fields, or null if the text is not a stat line.
     */
    static Stat parseStat(final String text)
    {
        return parseStat(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Stat parseStat(final byte[] bytes)
    {
        final StatParser parser = new StatParser();
        return parser.parse(ByteBuffer.wrap(bytes), bytes.length) ?
            new Stat(parser.pid(), parser.state(), parser.startTime()) : null;
    }

    /** The fields of a stat line that identity needs. */
    record Stat(long pid, char state, long startTime)
    {
        /** Zombie or dead: exited, maybe not yet reaped. */
        boolean isGone()
        {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }
}
