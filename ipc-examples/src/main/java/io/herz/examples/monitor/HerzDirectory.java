package io.herz.examples.monitor;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.status.SegmentStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What lies in a Herz directory ({@code /dev/shm/herz} by default) and in its immediate subdirectories (one per
 * demo or pipeline run): segments with their owners, half-created temporary files, symbolic links (never
 * followed), files that claim to be segments but cannot be read, and anything else. The basis of {@code herz ls}
 * and {@code herz clean}. Reads only; every segment is opened for one snapshot and closed again.
 */
public final class HerzDirectory
{
    /**
     * Name of the temporary file {@link Segment#create} builds before linking it under its final name:
     * {@code .NAME.creating-PID-NANOS}.
     */
    static final Pattern CREATING = Pattern.compile("^\\.(.+)\\.creating-(\\d{1,18})-(-?\\d{1,19})$");

    /**
     * The first bytes of every segment file, "HERZ" (docs/LAYOUT.md, offset 0): how a segment not named *.seg is
     * recognised. Only read here; Segment.openReadOnly validates the rest.
     */
    private static final byte[] MAGIC = {'H', 'E', 'R', 'Z'};

    private static final int CURRENT_UID = currentUid();

    /** What an entry is. */
    public enum Kind
    {
        /** A readable Herz segment. */
        SEGMENT,
        /** A temporary file of a segment being created, {@code .NAME.creating-PID-NANOS}. */
        CREATING,
        /** A symbolic link: never followed, never removed. */
        SYMLINK,
        /** A {@code *.seg} file or a file with the Herz magic that cannot be read as a segment. */
        INVALID,
        /** Anything else: other files, directories Herz does not know (e.g. an Aeron driver directory). */
        OTHER
    }

    /**
     * One entry.
     *
     * @param kind        what it is.
     * @param path        absolute path.
     * @param size        bytes of the file (of the link itself for a link, 0 for a directory).
     * @param owner       user owning the file.
     * @param mine        whether this process's (filesystem) uid owns it.
     * @param directory   true for a directory.
     * @param ring        the segment's view ({@link Kind#SEGMENT} only, else null).
     * @param holders     pids of other processes that map it or have it open.
     * @param creatorPid  pid in the name of a {@link Kind#CREATING} file, else 0.
     * @param creatorAlive whether that pid runs.
     * @param detail      why it is {@link Kind#INVALID}, a link's target, or a note; else empty.
     */
    public record Entry(
        Kind kind,
        Path path,
        long size,
        String owner,
        boolean mine,
        boolean directory,
        RingView ring,
        Set<Long> holders,
        long creatorPid,
        boolean creatorAlive,
        String detail)
    {
        /**
         * @return true if a live process owns a slot of it, created it, maps it or has it open.
         */
        public boolean inUse()
        {
            return !holders.isEmpty() || (ring != null && ring.hasLiveOwner()) || (creatorPid != 0 && creatorAlive);
        }
    }

    /**
     * The result of a scan.
     *
     * @param root       the directory scanned, absolute.
     * @param entries    its entries and those of its subdirectories, sorted by path.
     * @param unreadable pids whose memory maps could not be read (see {@link FileHolders}).
     */
    public record Listing(Path root, List<Entry> entries, List<Long> unreadable)
    {
    }

    private HerzDirectory()
    {
    }

    /**
     * Scan a directory and its immediate subdirectories.
     *
     * @param root the Herz directory.
     * @return what it holds.
     * @throws IllegalArgumentException naming the path when it is missing, a link or not a directory.
     */
    public static Listing scan(final Path root)
    {
        final Path dir = root.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(dir))
        {
            throw new IllegalArgumentException(dir + ": is a symbolic link, not followed: expected the Herz " +
                "directory itself (name the link's target)");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IllegalArgumentException(dir + ": directory does not exist: expected the Herz directory " +
                "(rings are created under /dev/shm/herz unless a stage is given another path)");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IllegalArgumentException(dir + ": not a directory: expected the Herz directory " +
                "(herz stat " + dir + " shows a single segment)");
        }
        final FileHolders holders = FileHolders.scan();
        final List<Entry> entries = new ArrayList<>();
        scan(dir, holders, entries, true);
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return new Listing(dir, Collections.unmodifiableList(entries), holders.unreadable());
    }

    private static void scan(final Path dir, final FileHolders holders, final List<Entry> entries,
        final boolean descend)
    {
        final List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir))
        {
            stream.forEach(children::add);
        }
        catch (final NoSuchFileException ex)
        {
            return; // removed while we looked
        }
        catch (final IOException ex)
        {
            entries.add(new Entry(Kind.OTHER, dir, 0, "?", false, true, null, Set.of(), 0, false,
                "cannot list directory: " + ex.getMessage()));
            return;
        }
        for (final Path child : children)
        {
            final Entry entry = entry(child, holders);
            if (entry == null)
            {
                continue;
            }
            if (entry.directory() && descend && !Files.exists(child.resolve("cnc.dat"), LinkOption.NOFOLLOW_LINKS))
            {
                final int before = entries.size();
                scan(child, holders, entries, false);
                if (entries.size() > before)
                {
                    continue; // a run directory: its segments are listed, not the directory
                }
            }
            entries.add(entry);
        }
    }

    private static Entry entry(final Path path, final FileHolders holders)
    {
        final PosixFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            return new Entry(Kind.OTHER, path, 0, "?", false, false, null, Set.of(), 0, false,
                "cannot read file attributes: " + ex.getMessage());
        }
        final String owner = attributes.owner().getName();
        final boolean mine = isMine(path, owner);
        final String name = path.getFileName().toString();
        if (attributes.isSymbolicLink())
        {
            String target;
            try
            {
                target = Files.readSymbolicLink(path).toString();
            }
            catch (final IOException ex)
            {
                target = "?";
            }
            return new Entry(Kind.SYMLINK, path, attributes.size(), owner, mine,
                false, null, Set.of(), 0, false, target);
        }
        if (attributes.isDirectory())
        {
            return new Entry(Kind.OTHER, path, 0, owner, mine, true, null, Set.of(), 0, false,
                Files.exists(path.resolve("cnc.dat"), LinkOption.NOFOLLOW_LINKS) ?
                    "directory with cnc.dat (an Aeron driver directory?)" : "directory");
        }
        if (!attributes.isRegularFile())
        {
            return new Entry(Kind.OTHER, path, attributes.size(), owner, mine, false, null, Set.of(), 0, false,
                "not a regular file");
        }

        final Matcher creating = CREATING.matcher(name);
        if (creating.matches())
        {
            final long pid = Long.parseLong(creating.group(2));
            final boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return new Entry(Kind.CREATING, path, attributes.size(), owner, mine,
                false, null, holders.holdersOf(path), pid,
                alive, "temporary file of " + path.resolveSibling(creating.group(1)));
        }
        if (!name.endsWith(SegmentWatcher.SEGMENT_SUFFIX) && !hasMagic(path))
        {
            return new Entry(Kind.OTHER, path, attributes.size(), owner, mine, false, null, Set.of(), 0, false,
                "not a Herz file");
        }
        try (Segment segment = SegmentWatcher.openForReading(path))
        {
            final RingView ring = RingView.of(SegmentStatus.capture(segment));
            return new Entry(Kind.SEGMENT, path, attributes.size(), owner, mine,
                false, ring, holders.holdersOf(path), 0,
                false, "");
        }
        catch (final SegmentException ex)
        {
            return new Entry(Kind.INVALID, path, attributes.size(), owner, mine,
                false, null, holders.holdersOf(path), 0,
                false, stripPath(ex.getMessage(), path));
        }
        catch (final RuntimeException ex)
        {
            return new Entry(Kind.INVALID, path, attributes.size(), owner, mine,
                false, null, holders.holdersOf(path), 0,
                false, "cannot read segment status: " + ex.getMessage());
        }
    }

    private static boolean isMine(final Path path, final String owner)
    {
        if (CURRENT_UID >= 0)
        {
            try
            {
                return ((Integer)Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == CURRENT_UID;
            }
            catch (final IOException | RuntimeException ex)
            {
                // no unix attribute view: compare names below
            }
        }
        return owner.equals(System.getProperty("user.name"));
    }

    /**
     * @return this process's filesystem uid (the owner of the files it creates) from {@code /proc/self/status},
     * or -1 off Linux. Uids, not names: a container's uid may have no name.
     */
    private static int currentUid()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    final String[] ids = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(ids[ids.length >= 4 ? 3 : 1]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux
        }
        return -1;
    }

    static String stripPath(final String message, final Path path)
    {
        final String prefix = path + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static boolean hasMagic(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            while (magic.hasRemaining() && channel.read(magic) >= 0)
            {
                // read the first four bytes
            }
            return !magic.hasRemaining() && java.util.Arrays.equals(magic.array(), MAGIC);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * @param pids process ids.
     * @return them as "1, 2, 3".
     */
    public static String pids(final Set<Long> pids)
    {
        final StringBuilder sb = new StringBuilder();
        for (final long pid : new TreeSet<>(pids))
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(pid);
        }
        return sb.toString();
    }
}
