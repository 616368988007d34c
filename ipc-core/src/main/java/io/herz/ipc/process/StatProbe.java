package io.herz.ipc.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The liveness probe of {@link ProcessTable} on {@code /proc}: reads {@code ROOT/PID/stat} into one reusable direct
 * buffer and parses the state and the start time (field 22) from its bytes, with no {@code String}, no array and
 * no {@code Path} in steady state. One probe belongs to one thread (see {@link ProcessTable}'s thread-local).
 * <p>
 * <b>Open channels.</b> Opening a file allocates (a {@code Path}, the channel, its descriptor), so the probe keeps
 * the {@code stat} file of the last {@value #CACHED} live processes it was asked about open and reads it again at
 * offset 0 with {@code pread}: a stall check that asks about the same producer every few milliseconds then
 * allocates nothing. This is sound on {@code /proc}: an open {@code /proc/PID/stat} stays bound to the process it
 * was opened for; once that process is reaped every read fails ({@code ESRCH}), also when its pid has been given to
 * a new process, so a cached channel never answers for another process. A read that fails closes the channel and
 * the probe opens the path again, which answers as before (no such file: dead). A channel is kept only while its
 * process was last seen alive; at most {@value #CACHED} descriptors per probing thread stay open, closed when they
 * are replaced, when their process is gone, or by the channel's cleaner when the thread's probe is collected.
 * (A fake {@code /proc} in tests must therefore rewrite a {@code stat} file in place rather than delete it to make
 * a process "exit": a deleted regular file stays readable through an open descriptor.)
 */
final class StatProbe
{
    /** Processes whose {@code stat} channel stays open. */
    static final int CACHED = 4;

    /**
     * Bytes read from a {@code stat} file. A real line is at most about 1.1 KB (52 numeric fields of at most 20
     * digits, a comm of at most 64 bytes); a file that fills the buffer is not a stat line.
     */
    static final int BUFFER_BYTES = 4096;

    private final Path root;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final StatParser parser = new StatParser();
    private final long[] pids = new long[CACHED];
    private final FileChannel[] channels = new FileChannel[CACHED];
    private int nextVictim;

    StatProbe(final Path root)
    {
        this.root = root;
    }

    /**
     * @param pid   a pid other than this process's, greater than 0.
     * @param token the owner token recorded for it.
     * @return what {@code /proc} says about the holder of the token (never {@code FOREIGN_NAMESPACE}).
     */
    ProcessIdentity.Liveness liveness(final long pid, final long token)
    {
        for (int i = 0; i < CACHED; i++)
        {
            if (channels[i] != null && pids[i] == pid)
            {
                final int length = readAll(channels[i]);
                if (length >= 0)
                {
                    final ProcessIdentity.Liveness answer = judge(length, pid, token);
                    if (answer != ProcessIdentity.Liveness.ALIVE)
                    {
                        evict(i);
                    }
                    return answer;
                }
                // The process this channel was opened for is gone (ESRCH): ask the path, as a first probe would.
                evict(i);
                break;
            }
        }
        return openAndProbe(pid, token);
    }

    private ProcessIdentity.Liveness openAndProbe(final long pid, final long token)
    {
        final Path statFile = root.resolve(Long.toString(pid)).resolve("stat");
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(statFile, StandardOpenOption.READ);
        }
        catch (final NoSuchFileException ex)
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        catch (final IOException | SecurityException | UnsupportedOperationException ex)
        {
            return unreadable(statFile);
        }
        final int length = readAll(channel);
        if (length < 0)
        {
            close(channel);
            // A race with exit reads as "no such process" (the entry is gone by now); anything else is unreadable.
            return unreadable(statFile);
        }
        final ProcessIdentity.Liveness answer = judge(length, pid, token);
        if (answer == ProcessIdentity.Liveness.ALIVE)
        {
            keep(pid, channel);
        }
        else
        {
            close(channel);
        }
        return answer;
    }

    private static ProcessIdentity.Liveness unreadable(final Path statFile)
    {
        // The entry exists but cannot be read: taken to be alive. An entry that is gone is a process that is gone.
        try
        {
            return Files.exists(statFile) ? ProcessIdentity.Liveness.UNKNOWN : ProcessIdentity.Liveness.DEAD;
        }
        catch (final SecurityException ex)
        {
            return ProcessIdentity.Liveness.UNKNOWN;
        }
    }

    private ProcessIdentity.Liveness judge(final int length, final long pid, final long token)
    {
        if (length >= BUFFER_BYTES || !parser.parse(buffer, length))
        {
            return ProcessIdentity.Liveness.UNKNOWN;
        }
        if (parser.isGone())
        {
            return ProcessIdentity.Liveness.DEAD;
        }
        return ProcessIdentity.token(pid, parser.startTime()) == token ?
            ProcessIdentity.Liveness.ALIVE : ProcessIdentity.Liveness.DEAD;
    }

    /**
     * Read the whole file from offset 0 into the buffer.
     *
     * @return the number of bytes read, {@link #BUFFER_BYTES} if the file does not fit (not a stat line), or -1 if
     *     the read failed.
     */
    private int readAll(final FileChannel channel)
    {
        buffer.clear();
        try
        {
            long position = 0;
            while (buffer.hasRemaining())
            {
                final int read = channel.read(buffer, position);
                if (read <= 0)
                {
                    break;
                }
                position += read;
                // A /proc stat line ends with its newline and comes in one read: skip the read that finds the end.
                if (buffer.get(buffer.position() - 1) == '\n')
                {
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            return -1;
        }
        return buffer.position();
    }

    private void keep(final long pid, final FileChannel channel)
    {
        int slot = -1;
        for (int i = 0; i < CACHED && slot < 0; i++)
        {
            if (channels[i] == null)
            {
                slot = i;
            }
        }
        if (slot < 0)
        {
            slot = nextVictim;
            nextVictim = (nextVictim + 1) % CACHED;
            close(channels[slot]);
        }
        pids[slot] = pid;
        channels[slot] = channel;
    }

    private void evict(final int slot)
    {
        close(channels[slot]);
        channels[slot] = null;
        pids[slot] = 0;
    }

    private static void close(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            // Nothing to do: the descriptor is released either way.
        }
    }

    /**
     * @return the number of open {@code stat} channels (tests).
     */
    int openChannels()
    {
        int open = 0;
        for (final FileChannel channel : channels)
        {
            if (channel != null && channel.isOpen())
            {
                open++;
            }
        }
        return open;
    }
}
