package io.herz.examples.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which processes have a file mapped or open, from one pass over {@code /proc}: every line of
 * {@code /proc/PID/maps} (device and inode of each file mapping, and its path) and every link in
 * {@code /proc/PID/fd}. A Herz segment is held through its mapping (the channel is closed once mapped), a file
 * being created through its descriptor, so both are looked at.
 * <p>
 * Permissions: the kernel shows another process's {@code maps} and {@code fd} only to a process allowed to trace
 * it (the same user, or root with {@code CAP_SYS_PTRACE}). Processes that could not be inspected are listed in
 * {@link #unreadable()} so that callers can say so; run as root to see every holder. The calling process itself is
 * left out: a monitor maps the segments it reads.
 */
public final class FileHolders
{
    private final Map<FileId, Set<Long>> byFileId = new HashMap<>();
    private final Map<String, Set<Long>> byPath = new HashMap<>();
    private final List<Long> unreadable = new ArrayList<>();

    /**
     * A file's device and inode, as {@code /proc/PID/maps} prints them.
     *
     * @param major device major number.
     * @param minor device minor number.
     * @param inode inode number.
     */
    record FileId(long major, long minor, long inode)
    {
    }

    private FileHolders()
    {
    }

    /**
     * @return the holders of files as {@code /proc} shows them now, this process left out.
     */
    public static FileHolders scan()
    {
        return scan(Path.of("/proc"), ProcessHandle.current().pid());
    }

    static FileHolders scan(final Path proc, final long selfPid)
    {
        final FileHolders holders = new FileHolders();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc))
        {
            for (final Path entry : entries)
            {
                final long pid = pidOf(entry.getFileName().toString());
                if (pid > 0 && pid != selfPid)
                {
                    holders.readProcess(entry, pid);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(proc + ": cannot list processes: " + ex.getMessage() +
                ": expected a readable /proc (Linux) to find who holds a segment", ex);
        }
        return holders;
    }

    private static long pidOf(final String name)
    {
        if (name.isEmpty() || name.length() > 18)
        {
            return -1;
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (name.charAt(i) < '0' || name.charAt(i) > '9')
            {
                return -1;
            }
        }
        return Long.parseLong(name);
    }

    private void readProcess(final Path dir, final long pid)
    {
        boolean denied = false;
        try
        {
            for (final String line : Files.readAllLines(dir.resolve("maps"), StandardCharsets.UTF_8))
            {
                parseMapsLine(line, pid);
            }
        }
        catch (final AccessDeniedException ex)
        {
            denied = true;
        }
        catch (final IOException | RuntimeException ex)
        {
            return; // the process exited while we read it: it holds nothing any more
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd")))
        {
            for (final Path fd : fds)
            {
                try
                {
                    byPath.computeIfAbsent(Files.readSymbolicLink(fd).toString(), p -> new TreeSet<>()).add(pid);
                }
                catch (final IOException ignore)
                {
                    // closed meanwhile
                }
            }
        }
        catch (final AccessDeniedException ex)
        {
            denied = true;
        }
        catch (final IOException ignore)
        {
            // exited meanwhile
        }
        if (denied)
        {
            unreadable.add(pid);
        }
    }

    /**
     * Parse one line of {@code /proc/PID/maps}: {@code address perms offset major:minor inode [path]}, device
     * numbers in hex, inode in decimal, the path padded with spaces and possibly ending in {@code " (deleted)"}.
     */
    void parseMapsLine(final String line, final long pid)
    {
        final String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 5)
        {
            return;
        }
        final int colon = fields[3].indexOf(':');
        final long inode = Long.parseLong(fields[4]);
        if (colon < 0 || inode == 0)
        {
            return; // anonymous memory, stack, vdso...
        }
        final long major = Long.parseLong(fields[3].substring(0, colon), 16);
        final long minor = Long.parseLong(fields[3].substring(colon + 1), 16);
        byFileId.computeIfAbsent(new FileId(major, minor, inode), id -> new TreeSet<>()).add(pid);
        if (fields.length == 6 && fields[5].startsWith("/"))
        {
            byPath.computeIfAbsent(fields[5], p -> new TreeSet<>()).add(pid);
        }
    }

    /**
     * The processes that map or have open a file.
     *
     * @param file an absolute path (not followed if it is a link).
     * @return their pids in ascending order; empty if none (or the file is gone).
     */
    public Set<Long> holdersOf(final Path file)
    {
        final Set<Long> pids = new TreeSet<>(byPath.getOrDefault(file.toString(), Set.of()));
        final FileId id = fileId(file);
        if (id != null)
        {
            pids.addAll(byFileId.getOrDefault(id, Set.of()));
        }
        return Collections.unmodifiableSet(pids);
    }

    /**
     * @return pids whose {@code maps} or {@code fd} could not be read (permission denied), ascending.
     */
    public List<Long> unreadable()
    {
        return Collections.unmodifiableList(unreadable);
    }

    static FileId fileId(final Path file)
    {
        try
        {
            final Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            final long dev = (Long)unix.get("dev");
            final long ino = (Long)unix.get("ino");
            // glibc's gnu_dev_major/gnu_dev_minor: how the kernel's major:minor pair is packed into st_dev
            final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xffff_f000L);
            final long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffff_ff00L);
            return new FileId(major, minor, ino);
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return null; // gone, or no unix attribute view: the path match above is all there is
        }
    }
}
