package io.herz.ipc.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 */
final class ProcessTable
{
    /** Index of the start time among the fields that follow the closing ')' of the comm (field 3 is index 0). */
    private static final int START_TIME_INDEX = 22 - 3;

    private final Path root;
    private final long selfPid;
    private final boolean procAvailable;
    private final ProcessIdentity self;

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
        final Path statFile = root.resolve(Long.toString(pid)).resolve("stat");
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(statFile);
        }
        catch (final NoSuchFileException ex)
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        catch (final IOException | SecurityException ex)
        {
            // The entry exists but cannot be read (a race with exit reads as "no such process", caught above).
            return Files.exists(statFile) ? ProcessIdentity.Liveness.UNKNOWN : ProcessIdentity.Liveness.DEAD;
        }
        final Stat stat = parseStat(new String(bytes, StandardCharsets.ISO_8859_1));
        if (stat == null)
        {
            return ProcessIdentity.Liveness.UNKNOWN;
        }
        if (stat.isGone())
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        return ProcessIdentity.token(pid, stat.startTime) == token ?
            ProcessIdentity.Liveness.ALIVE : ProcessIdentity.Liveness.DEAD;
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
            return parseStat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        catch (final IOException | SecurityException ex)
        {
            return null;
        }
    }

    /**
     * Parse {@code /proc/PID/stat}: "pid (comm) state ppid ... starttime ...". The comm may hold spaces and
     * parentheses, so the fields are counted from the last ')'.
     *
     * @return the parsed fields, or null if the text is not a stat line.
     */
    static Stat parseStat(final String text)
    {
        final int open = text.indexOf(" (");
        final int close = text.lastIndexOf(')');
        if (open <= 0 || close < open)
        {
            return null;
        }
        final long pid;
        try
        {
            pid = Long.parseLong(text.substring(0, open).trim());
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
        final String[] fields = text.substring(close + 1).trim().split("\\s+");
        if (fields.length <= START_TIME_INDEX || fields[0].length() != 1)
        {
            return null;
        }
        try
        {
            final long startTime = Long.parseUnsignedLong(fields[START_TIME_INDEX]);
            return new Stat(pid, fields[0].charAt(0), startTime);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
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
