package io.herz.ipc.segment;

import io.herz.ipc.process.ProcessIdentity;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * A segment: one memory-mapped file holding a header and a ring's data area (layout in {@link SegmentDescriptor}).
 * <p>
 * Lifecycle:
 * <ul>
 * <li>{@link #create(Path, SegmentConfig)}: builds the whole file under a temporary name in the same directory
 * (mode from the config, 0600 by default), allocating every byte by writing zeros through the channel (so a full
 * {@code /dev/shm} fails here with an {@link java.io.IOException} instead of a SIGBUS on first touch), maps it,
 * writes the header with the layout version last (F0, release), then publishes it under its final name with a
 * hard link, which fails if that name exists. An opener therefore never sees a half-built file, and two creators
 * never both win.</li>
 * <li>{@link #open(Path, SegmentConfig)}: waits a bounded time for the file to appear, then validates everything
 * before the first read of a field: a regular file and not a symlink, owned by this user, large enough, magic,
 * layout version (F1, acquire), geometry, and file length equal to header plus capacity.</li>
 * <li>{@link #openReadOnly(Path)}: the same validation, a {@code READ_ONLY} mapping, for passive readers
 * (monitors): {@link #readBuffer()} and {@link #countersReader()} work, every accessor that could write
 * ({@link #buffer()}, {@link #dataBuffer()}, the counters buffers) throws {@link IllegalStateException}, so no
 * producer or consumer can be built on it.</li>
 * <li>{@link #close()}: unmaps; idempotent.</li>
 * <li>{@link #unlink()}: deletes the file; only the owner of the pipeline should.</li>
 * </ul>
 * <b>Closed segments, one rule:</b> once {@link #close()} has run, every method that reads or hands out the
 * mapped memory or its geometry throws {@link IllegalStateException}, so a closed segment never touches unmapped
 * memory. Only {@link #close()} (idempotent), {@link #isClosed()}, {@link #isReadOnly()}, {@link #path()},
 * {@link #unlink()} (a file operation) and {@link #toString()} keep answering. Buffers obtained before the close
 * are invalid after it: their holders (producers, consumers) must check {@link #isClosed()} first.
 * <p>
 * <b>Space:</b> {@link #create(Path, SegmentConfig)} first checks the usable space of the target file system
 * ({@link SegmentSpace#requireSpace(Path, long, String)}) and fails at once, naming the size asked, the space free
 * and the fix; launchers call the same helper before they start any process.
 * <p>
 * <b>Owner:</b> unless {@link SegmentConfig#allowForeignOwner(boolean)}, the file must belong to this process's
 * uid (compared as numbers, so containers running as an arbitrary uid without a user name work).
 * The Java Memory Model does not speak of two JVMs sharing a file: Herz relies on the fences of each access acting
 * on the same physical pages, which holds for {@code MAP_SHARED} mappings on every platform the JDK supports.
 */
public final class Segment implements AutoCloseable
{
    private static final int ZERO_CHUNK = 64 * 1024;

    private final Path path;
    private final Object fileIdentity;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer dataBuffer;
    private final UnsafeBuffer countersMetadataBuffer;
    private final UnsafeBuffer countersValuesBuffer;
    private final int capacity;
    private final int maxRecordLength;
    private final int producerSlotCount;
    private final int counterCount;
    private final int headerLength;
    private final boolean readOnly;
    private final long lockTimeoutNs;
    private volatile boolean closed;

    private Segment(
        final Path path,
        final Object fileKey,
        final MappedByteBuffer mapping,
        final boolean readOnly,
        final long lockTimeoutNs)
    {
        this.path = path;
        this.fileIdentity = fileKey != null ? fileKey : path;
        this.lockTimeoutNs = lockTimeoutNs;
        this.mapping = mapping;
        this.readOnly = readOnly;
        this.buffer = new UnsafeBuffer(mapping);
        this.capacity = buffer.getInt(CAPACITY_OFFSET);
        this.maxRecordLength = buffer.getInt(MAX_RECORD_LENGTH_OFFSET);
        this.producerSlotCount = buffer.getInt(PRODUCER_SLOT_COUNT_OFFSET);
        this.counterCount = buffer.getInt(COUNTER_COUNT_OFFSET);
        this.headerLength = buffer.getInt(HEADER_LENGTH_OFFSET);
        this.dataBuffer = new UnsafeBuffer(buffer.addressOffset() + headerLength, capacity);
        this.countersMetadataBuffer = new UnsafeBuffer(
            buffer.addressOffset() + countersMetadataOffset(producerSlotCount),
            counterCount * CountersReader.METADATA_LENGTH);
        this.countersValuesBuffer = new UnsafeBuffer(
            buffer.addressOffset() + countersValuesOffset(producerSlotCount, counterCount),
            counterCount * CountersReader.COUNTER_LENGTH);
    }

    /**
     * Create a new segment file. Fails if the file exists.
     *
     * @param path   where to create it; missing parent directories are created.
     * @param config geometry and mode; concluded here.
     * @return the mapped segment, ready for producers and a consumer.
     * @throws SegmentException if the file exists, the file system is full, or any I/O fails.
     */
    public static Segment create(final Path path, final SegmentConfig config)
    {
        config.conclude();
        final Path file = path.toAbsolutePath();
        final int headerLength = SegmentDescriptor.headerLength(config.producerSlotCount(), config.counterCount());
        final long fileLength = SegmentSpace.fileLength(config);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new SegmentException(file, "segment already exists: expected no file at this path");
        }
        SegmentSpace.requireSpace(file, fileLength, "segment of capacity " + config.capacity() + " bytes");

        final Path dir = file.getParent();
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new SegmentException(file, "cannot create directory " + dir, ex);
        }

        final ProcessIdentity self = ProcessIdentity.current();
        final Path temp = dir.resolve("." + file.getFileName() + ".creating-" + self.pid() + "-" + System.nanoTime());
        MappedByteBuffer mapping = null;
        try
        {
            try (FileChannel channel = FileChannel.open(
                temp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(config.permissions())))
            {
                allocate(channel, fileLength, file);
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength);
            }
            // The mode given at creation is filtered by the umask; set it exactly as configured.
            Files.setPosixFilePermissions(temp, config.permissions());

            final UnsafeBuffer header = new UnsafeBuffer(mapping);
            header.putInt(MAGIC_OFFSET, MAGIC);
            header.putInt(CAPACITY_OFFSET, config.capacity());
            header.putInt(MAX_RECORD_LENGTH_OFFSET, config.maxRecordLength());
            header.putInt(PRODUCER_SLOT_COUNT_OFFSET, config.producerSlotCount());
            header.putInt(COUNTER_COUNT_OFFSET, config.counterCount());
            header.putInt(HEADER_LENGTH_OFFSET, headerLength);
            header.putLong(CREATOR_PID_OFFSET, self.pid());
            header.putLong(CREATOR_START_TIME_OFFSET, self.startTimeMs());
            header.putLong(CREATED_EPOCH_MS_OFFSET, System.currentTimeMillis());
            header.putLong(FILE_LENGTH_OFFSET, fileLength);
            header.putInt(CONSUMER_SLOT_COUNT_OFFSET, CONSUMER_SLOT_COUNT);
            // Every byte of the data area is zero (written above): the clean word of lap 0, so the whole first lap is
            // clean. Every other ring field starts at zero: free slots, tail 0, base 0.
            header.putLong(CLEAN_POSITION_OFFSET, config.capacity());
            // F0 release (publish header): every header store above becomes visible before the version.
            // Pairs with F1 in open().
            header.putIntRelease(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);

            try
            {
                Files.createLink(file, temp); // atomic and exclusive: fails if the final name exists
            }
            catch (final FileAlreadyExistsException ex)
            {
                throw new SegmentException(file, "segment already exists: expected no file at this path");
            }
            Files.delete(temp);
            final Object identity = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
            final Segment segment = new Segment(file, identity, mapping, false, config.lockTimeoutNs());
            mapping = null;
            return segment;
        }
        catch (final IOException ex)
        {
            throw new SegmentException(file, "cannot create segment of " + fileLength + " bytes", ex);
        }
        finally
        {
            if (mapping != null)
            {
                IoUtil.unmap(mapping);
            }
            try
            {
                Files.deleteIfExists(temp);
            }
            catch (final IOException ignore)
            {
                // best effort: the temporary name is never opened by anyone else
            }
        }
    }

    private static void allocate(final FileChannel channel, final long fileLength, final Path file) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        try
        {
            long position = 0;
            while (position < fileLength)
            {
                zeros.clear().limit((int)Math.min(ZERO_CHUNK, fileLength - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot allocate " + fileLength + " bytes (file system full?)", ex);
        }
        finally
        {
            IoUtil.unmap(zeros);
        }
    }

    /**
     * Open an existing segment, waiting up to {@link SegmentConfig#openTimeoutMs()} for it to appear.
     *
     * @param path   the segment file.
     * @param config {@code openTimeoutMs} and {@code allowForeignOwner} are used; geometry comes from the file.
     * @return the mapped segment.
     * @throws SegmentException naming the file and the problem when it is missing or not a valid segment.
     */
    public static Segment open(final Path path, final SegmentConfig config)
    {
        return open(path, config, false);
    }

    /**
     * Open an existing segment read-only, without waiting for it to appear: what a monitor does. The file gets
     * the same checks as {@link #open(Path, SegmentConfig)}; the mapping is {@code READ_ONLY}.
     *
     * @param path the segment file.
     * @return the mapped segment; only {@link #readBuffer()} and {@link #countersReader()} give access to memory.
     * @throws SegmentException naming the file and the problem when it is missing or not a valid segment.
     */
    public static Segment openReadOnly(final Path path)
    {
        return open(path, new SegmentConfig().openTimeoutMs(0), true);
    }

    /**
     * Open an existing segment read-only (see {@link #openReadOnly(Path)}).
     *
     * @param path   the segment file.
     * @param config {@code openTimeoutMs} and {@code allowForeignOwner} are used.
     * @return the mapped segment.
     * @throws SegmentException naming the file and the problem when it is missing or not a valid segment.
     */
    public static Segment openReadOnly(final Path path, final SegmentConfig config)
    {
        return open(path, config, true);
    }

    private static Segment open(final Path path, final SegmentConfig config, final boolean readOnly)
    {
        config.conclude();
        final Path file = path.toAbsolutePath();
        final long deadlineNs = System.nanoTime() + config.openTimeoutNs();
        PosixFileAttributes attributes;
        while (true)
        {
            try
            {
                attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                break;
            }
            catch (final NoSuchFileException ex)
            {
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    throw new SegmentException(file, "segment does not exist: waited " + config.openTimeoutMs() + " ms");
                }
                LockSupport.parkNanos(1_000_000);
            }
            catch (final IOException ex)
            {
                throw new SegmentException(file, "cannot read file attributes", ex);
            }
        }

        checkFile(file, attributes, config);
        final long size = attributes.size();
        final MappedByteBuffer mapping;
        final Set<OpenOption> options = new HashSet<>();
        options.add(StandardOpenOption.READ);
        options.add(LinkOption.NOFOLLOW_LINKS);
        if (!readOnly)
        {
            options.add(StandardOpenOption.WRITE);
        }
        try (FileChannel channel = FileChannel.open(file, options))
        {
            final long sizeNow = channel.size();
            if (sizeNow != size)
            {
                throw new SegmentException(file, "file changed size while opening: expected " + size + " bytes, found " +
                    sizeNow);
            }
            mapping = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, size);
        }
        catch (final IOException ex)
        {
            throw new SegmentException(file, "cannot map segment", ex);
        }

        try
        {
            validateHeader(file, new UnsafeBuffer(mapping), size, deadlineNs, config.openTimeoutMs());
            return new Segment(file, attributes.fileKey(), mapping, readOnly, config.lockTimeoutNs());
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapping);
            throw ex;
        }
    }

    /**
     * Open the segment if the file exists, else create it: what the one consumer of a ring does.
     *
     * @param path   the segment file.
     * @param config geometry for a new file; for an existing one only {@code allowForeignOwner} applies.
     * @return the mapped segment.
     */
    public static Segment openOrCreate(final Path path, final SegmentConfig config)
    {
        config.conclude();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path))
        {
            try
            {
                return create(path, config);
            }
            catch (final SegmentException ex)
            {
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                {
                    throw ex;
                }
                // lost the race to another creator: open theirs
            }
        }
        return open(path, config);
    }

    private static void checkFile(final Path file, final PosixFileAttributes attributes, final SegmentConfig config)
    {
        if (attributes.isSymbolicLink())
        {
            throw new SegmentException(file, "segment is a symbolic link: expected a regular file");
        }
        if (attributes.isDirectory())
        {
            throw new SegmentException(file, "segment is a directory: expected a regular file");
        }
        if (!attributes.isRegularFile())
        {
            throw new SegmentException(file, "segment is not a regular file: expected a regular file");
        }
        if (!config.allowForeignOwner())
        {
            checkOwner(file, attributes);
        }
        final long size = attributes.size();
        final long minimum = SegmentDescriptor.headerLength(1, 0) + MIN_CAPACITY;
        if (size < minimum)
        {
            throw new SegmentException(file, "file too small to be a segment: expected at least " + minimum +
                " bytes, found " + size);
        }
        if (size > Integer.MAX_VALUE)
        {
            throw new SegmentException(file, "file too large to be a segment: expected at most " + Integer.MAX_VALUE +
                " bytes, found " + size);
        }
    }

    private static void checkOwner(final Path file, final PosixFileAttributes attributes)
    {
        final int me = FileOwner.currentUid();
        final int owner = FileOwner.uidOf(file);
        if (me >= 0 && owner >= 0)
        {
            if (owner != me)
            {
                throw new SegmentException(file, "segment is owned by another user: expected uid " + me +
                    " (this process), found uid " + owner + " (" + attributes.owner().getName() + "); open it as " +
                    "that user or allow a foreign owner");
            }
            return;
        }
        // No numeric uid on this platform: the user name is all there is.
        final String name = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(name))
        {
            throw new SegmentException(file, "segment is owned by another user: expected " + name + ", found " +
                attributes.owner().getName());
        }
    }

    private static void validateHeader(
        final Path file, final UnsafeBuffer header, final long size, final long deadlineNs, final long timeoutMs)
    {
        final int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new SegmentException(file, "not a Herz segment, magic mismatch: expected 0x" +
                Integer.toHexString(MAGIC) + " (\"HERZ\"), found 0x" + Integer.toHexString(magic));
        }

        // F1 acquire (open): once the version is seen, every header field the creator wrote before F0 is visible.
        // Pairs with F0 in create(). A file published by create() always has it; waiting covers other writers.
        int version;
        while ((version = header.getIntAcquire(LAYOUT_VERSION_OFFSET)) == 0)
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new SegmentException(file, "segment not ready: expected layout version " + LAYOUT_VERSION +
                    " within " + timeoutMs + " ms, found 0");
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (version != LAYOUT_VERSION)
        {
            throw new SegmentException(file, "unsupported layout version: expected " + LAYOUT_VERSION + ", found " +
                version + (version == 1 || version == 2 ? " (a layout version " + version + " ring, written by an " +
                "older Herz: drain it with that version, or remove it and let the consumer create a version " +
                LAYOUT_VERSION + " ring)" : ""));
        }

        final int capacity = header.getInt(CAPACITY_OFFSET);
        problem(file, checkCapacity(capacity));
        problem(file, checkMaxRecordLength(header.getInt(MAX_RECORD_LENGTH_OFFSET), capacity));
        final int slots = header.getInt(PRODUCER_SLOT_COUNT_OFFSET);
        problem(file, checkProducerSlotCount(slots));
        final int counters = header.getInt(COUNTER_COUNT_OFFSET);
        problem(file, checkCounterCount(counters));
        problem(file, checkConsumerSlotCount(header.getInt(CONSUMER_SLOT_COUNT_OFFSET)));
        final int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
        final int expectedHeaderLength = SegmentDescriptor.headerLength(slots, counters);
        if (headerLength != expectedHeaderLength)
        {
            throw new SegmentException(file, "header length mismatch: expected " + expectedHeaderLength + " for " +
                slots + " producer slots and " + counters + " counters, found " + headerLength);
        }
        final long expectedSize = (long)headerLength + capacity;
        if (size != expectedSize)
        {
            throw new SegmentException(file, (size < expectedSize ? "segment truncated" : "segment has trailing bytes") +
                ": expected " + expectedSize + " bytes, found " + size);
        }
        final long recordedSize = header.getLong(FILE_LENGTH_OFFSET);
        if (recordedSize != size)
        {
            throw new SegmentException(file, "recorded file length mismatch: expected " + size + ", found " +
                recordedSize);
        }
    }

    private static void problem(final Path file, final String problem)
    {
        if (problem != null)
        {
            throw new SegmentException(file, problem);
        }
    }

    /**
     * @return how long attaching or removing a consumer waits for the ring lock held by a live process
     * ({@link SegmentConfig#lockTimeoutMs(long)} of the open).
     */
    public long lockTimeoutNs()
    {
        return lockTimeoutNs;
    }

    /**
     * @return the identity of the segment file (its device and inode, {@code BasicFileAttributes.fileKey()}, read
     * when it was created or opened; the path where the file system gives none): equal for every mapping of the same
     * file in this JVM, whatever path opened it, so that in-process locks can be per file.
     */
    public Object fileIdentity()
    {
        return fileIdentity;
    }

    /**
     * @return absolute path of the segment file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return buffer over the whole file, header included, for descriptors' offsets.
     */
    public AtomicBuffer buffer()
    {
        checkWritable();
        return buffer;
    }

    /**
     * @return buffer over the ring's data area only: offset 0 is the first byte after the header.
     */
    public AtomicBuffer dataBuffer()
    {
        checkWritable();
        return dataBuffer;
    }

    /**
     * @return buffer over the Agrona counters metadata area.
     */
    public AtomicBuffer countersMetadataBuffer()
    {
        checkWritable();
        return countersMetadataBuffer;
    }

    /**
     * @return buffer over the Agrona counters values area.
     */
    public AtomicBuffer countersValuesBuffer()
    {
        checkWritable();
        return countersValuesBuffer;
    }

    /**
     * @return a reader of the named counters; reading never disturbs the writers.
     */
    public CountersReader countersReader()
    {
        checkOpen();
        return new CountersReader(countersMetadataBuffer, countersValuesBuffer);
    }

    /**
     * A view of the whole file, header included, for readers: works on read-only and read-write segments alike.
     * On a read-only segment the memory is mapped {@code READ_ONLY}: never cast the view to write through it.
     *
     * @return the file's bytes, offsets as in the descriptors.
     */
    public DirectBuffer readBuffer()
    {
        checkOpen();
        return buffer;
    }

    /**
     * @return bytes of the data area.
     */
    public int capacity()
    {
        checkOpen();
        return capacity;
    }

    /**
     * @return largest payload in bytes.
     */
    public int maxRecordLength()
    {
        checkOpen();
        return maxRecordLength;
    }

    /**
     * @return number of producer slots.
     */
    public int producerSlotCount()
    {
        checkOpen();
        return producerSlotCount;
    }

    /**
     * @return number of counters.
     */
    public int counterCount()
    {
        checkOpen();
        return counterCount;
    }

    /**
     * @return bytes of the header: offset of the data area in the file.
     */
    public int headerLength()
    {
        checkOpen();
        return headerLength;
    }

    /**
     * @return true once {@link #close()} has been called.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return true if opened with {@link #openReadOnly(Path)}.
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(path + ": segment is closed");
        }
    }

    private void checkWritable()
    {
        checkOpen();
        if (readOnly)
        {
            throw new IllegalStateException(path + ": segment is open read-only: expected a read-write segment " +
                "(Segment.open) for writable buffers, producers and consumers");
        }
    }

    /**
     * Delete the segment file. The mapping stays valid until {@link #close()}. Idempotent.
     *
     * @return true if this call deleted the file.
     */
    public boolean unlink()
    {
        try
        {
            return Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new SegmentException(path, "cannot unlink segment", ex);
        }
    }

    /**
     * Unmap the segment. Idempotent. Every buffer obtained from it becomes invalid; every later call but those
     * listed in the class comment throws {@link IllegalStateException}.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(mapping);
        }
    }

    public String toString()
    {
        return "Segment{path=" + path + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") +
            ", capacity=" + capacity + ", maxRecordLength=" + maxRecordLength +
            ", producerSlots=" + producerSlotCount + ", counters=" + counterCount + "}";
    }
}
