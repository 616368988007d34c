package io.herz.ipc.segment;

import java.nio.file.Path;

/**
 * A segment file could not be created, opened, validated or used. The message starts with the absolute path of
 * the file and then names the problem with the expected and found values, e.g.
 * {@code /dev/shm/herz/events.seg: capacity is not a power of two: found 1000}.
 */
public class SegmentException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path    the segment file.
     * @param problem what is wrong, lower-case, with expected and found values.
     */
    public SegmentException(final Path path, final String problem)
    {
        super(path.toAbsolutePath() + ": " + problem);
        this.path = path.toAbsolutePath();
    }

    /**
     * @param path    the segment file.
     * @param problem what is wrong.
     * @param cause   the underlying failure, typically an {@link java.io.IOException}.
     */
    public SegmentException(final Path path, final String problem, final Throwable cause)
    {
        super(path.toAbsolutePath() + ": " + problem + ": " + cause, cause);
        this.path = path.toAbsolutePath();
    }

    /**
     * @return absolute path of the segment file.
     */
    public Path path()
    {
        return path;
    }
}
