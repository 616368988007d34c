package io.herz.examples.monitor;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.status.SegmentStatus;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Keeps read-only views of a changing set of segments: named files, and every {@code *.seg} file in named
 * directories and their immediate subdirectories (symbolic links are never followed). Each {@link #sample()}
 * rescans, opens segments that appeared, closes those that disappeared or were replaced by a new file of the same
 * name (another inode), and snapshots the rest. A file that cannot be opened or read becomes a problem of that
 * sample, not a failure: the monitor keeps watching the others.
 * <p>
 * Only reads: every value comes from acquire loads of the segment header (see {@link SegmentStatus}); no slot,
 * position or counter is ever written, so producers and consumers are never disturbed. Thread-safe: samples are
 * serialised, so an HTTP scrape and a console refresh may share one watcher.
 */
public final class SegmentWatcher implements AutoCloseable
{
    /** Suffix of the segment files watched in a directory. */
    public static final String SEGMENT_SUFFIX = ".seg";

    private final List<Path> roots;
    private final boolean missingRootsAreEmpty;
    private final Map<Path, Open> open = new HashMap<>();
    private boolean closed;

    /**
     * One sample of every watched segment.
     *
     * @param rings    views of the segments that could be read, sorted by path.
     * @param problems for each file that could not be read (or named root that is missing), what is wrong.
     */
    public record Sample(List<RingView> rings, Map<Path, String> problems)
    {
    }

    private record Open(Segment segment, Object fileKey)
    {
    }

    /**
     * @param roots segment files and directories of segment files; relative paths are made absolute. A root that does
     *              not exist is a problem of every sample.
     */
    public SegmentWatcher(final List<Path> roots)
    {
        this(roots, false);
    }

    /**
     * @param roots               segment files and directories of segment files; relative paths are made absolute.
     * @param missingRootsAreEmpty whether a root that does not exist simply holds no segments (the default directory,
     *                            watched because the user named none, before any ring was created there) instead
     *                            of being a problem (a path the user named).
     */
    public SegmentWatcher(final List<Path> roots, final boolean missingRootsAreEmpty)
    {
        final List<Path> absolute = new ArrayList<>(roots.size());
        for (final Path root : roots)
        {
            absolute.add(root.toAbsolutePath().normalize());
        }
        this.roots = Collections.unmodifiableList(absolute);
        this.missingRootsAreEmpty = missingRootsAreEmpty;
    }

    /**
     * @return the watched files and directories, absolute.
     */
    public List<Path> roots()
    {
        return roots;
    }

    /**
     * Open a segment for monitoring: a read-only mapping ({@link Segment#openReadOnly}), no wait for a file still
     * being created, files of other users accepted (a monitor shows everything it may read).
     *
     * @param path the segment file.
     * @return the open segment.
     * @throws SegmentException naming the file and what is wrong with it.
     */
    public static Segment openForReading(final Path path)
    {
        return Segment.openReadOnly(path, new SegmentConfig().openTimeoutMs(0).allowForeignOwner(true));
    }

    /**
     * Rescan and snapshot every watched segment.
     *
     * @return the sample.
     * @throws IllegalStateException if closed.
     */
    public synchronized Sample sample()
    {
        if (closed)
        {
            throw new IllegalStateException("segment watcher is closed");
        }
        final Map<Path, String> problems = new LinkedHashMap<>();
        final TreeSet<Path> files = new TreeSet<>();
        for (final Path root : roots)
        {
            collect(root, files, problems, missingRootsAreEmpty);
        }

        for (final Iterator<Map.Entry<Path, Open>> it = open.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<Path, Open> entry = it.next();
            if (!files.contains(entry.getKey()))
            {
                entry.getValue().segment().close();
                it.remove();
            }
        }

        final List<RingView> rings = new ArrayList<>(files.size());
        for (final Path file : files)
        {
            final RingView view = view(file, problems);
            if (view != null)
            {
                rings.add(view);
            }
        }
        return new Sample(Collections.unmodifiableList(rings), Collections.unmodifiableMap(problems));
    }

    private RingView view(final Path file, final Map<Path, String> problems)
    {
        final Object fileKey;
        try
        {
            fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        }
        catch (final IOException ex)
        {
            closeEntry(file);
            if (!(ex instanceof NoSuchFileException)) // gone since the scan: no longer watched, not a problem
            {
                problems.put(file, "cannot read file attributes: " + ex);
            }
            return null;
        }

        Open entry = open.get(file);
        if (entry != null && !Objects.equals(entry.fileKey(), fileKey))
        {
            closeEntry(file); // replaced by a new segment of the same name
            entry = null;
        }
        if (entry == null)
        {
            try
            {
                entry = new Open(openForReading(file), fileKey);
            }
            catch (final SegmentException ex)
            {
                problems.put(file, HerzDirectory.stripPath(ex.getMessage(), file));
                return null;
            }
            open.put(file, entry);
        }
        try
        {
            return RingView.of(SegmentStatus.capture(entry.segment()));
        }
        catch (final RuntimeException ex)
        {
            problems.put(file, "cannot read segment status: " + ex.getMessage());
            return null;
        }
    }

    private void closeEntry(final Path file)
    {
        final Open entry = open.remove(file);
        if (entry != null)
        {
            entry.segment().close();
        }
    }

    private static void collect(
        final Path root, final TreeSet<Path> files, final Map<Path, String> problems, final boolean missingIsEmpty)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            if (missingIsEmpty)
            {
                return;
            }
            problems.put(root, "does not exist: expected a segment file or a directory of *" + SEGMENT_SUFFIX +
                " files (list what there is with: herz ls " + root.getParent() + ")");
            return;
        }
        catch (final IOException ex)
        {
            problems.put(root, "cannot read file attributes: " + ex);
            return;
        }
        if (attributes.isSymbolicLink())
        {
            problems.put(root, "is a symbolic link, not followed: expected a segment file or a directory " +
                "(name the link's target instead)");
        }
        else if (attributes.isDirectory())
        {
            scan(root, files, problems, true);
        }
        else
        {
            files.add(root);
        }
    }

    private static void scan(final Path dir, final TreeSet<Path> files, final Map<Path, String> problems,
        final boolean descend)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))
                {
                    if (descend)
                    {
                        scan(entry, files, problems, false);
                    }
                }
                else if (entry.getFileName().toString().endsWith(SEGMENT_SUFFIX) &&
                    !Files.isSymbolicLink(entry))
                {
                    files.add(entry);
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            if (descend) // a subdirectory removed while scanning is a pipeline that ended, not a problem
            {
                problems.put(dir, "directory does not exist");
            }
        }
        catch (final IOException ex)
        {
            problems.put(dir, "cannot list directory: " + ex);
        }
    }

    /**
     * Unmap every segment. Idempotent.
     */
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            for (final Open entry : open.values())
            {
                entry.segment().close();
            }
            open.clear();
        }
    }
}
