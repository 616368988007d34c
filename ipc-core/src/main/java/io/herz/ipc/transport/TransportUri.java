package io.herz.ipc.transport;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a stream lives, as written on a command line or in a pipeline spec:
 * <ul>
 *     <li>a plain path ({@code /dev/shm/herz/events.seg}, {@code ./events.seg}) or {@code shm:PATH}: a Herz ring in a
 *     memory-mapped segment file;</li>
 *     <li>{@code aeron:udp?endpoint=HOST:PORT...} or {@code aeron:ipc...}: an Aeron stream (needs {@code ipc-aeron} on
 *     the class path), with Aeron's own URI parameters and a {@code stream-id}.</li>
 * </ul>
 * A text is a URI when it starts with a scheme of at least two letters, digits, '+', '-' or '.' followed by ':';
 * anything else is a path (write {@code ./a:b.seg} for a relative path holding a colon).
 *
 * @param scheme   the transport, e.g. {@code shm} or {@code aeron}.
 * @param text     what the user wrote, unchanged.
 * @param specific what follows {@code scheme:} (for {@code shm} the path).
 */
public record TransportUri(String scheme, String text, String specific)
{
    /** The scheme of Herz rings. */
    public static final String SHM = "shm";

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

    /**
     * @param text a path or a URI.
     * @return the parsed form.
     * @throws IllegalArgumentException for an empty text.
     */
    public static TransportUri parse(final String text)
    {
        if (null == text || text.isBlank())
        {
            throw new IllegalArgumentException("stream: expected a path, shm:PATH, aeron:udp?endpoint=HOST:PORT or " +
                "aeron:ipc, found '" + text + "'");
        }
        final java.util.regex.Matcher matcher = SCHEME.matcher(text);
        if (!matcher.find())
        {
            return new TransportUri(SHM, text, text);
        }
        final String scheme = text.substring(0, matcher.end() - 1).toLowerCase(java.util.Locale.ROOT);
        final String specific = text.substring(matcher.end());
        if (SHM.equals(scheme) && specific.isEmpty())
        {
            throw new IllegalArgumentException("stream '" + text + "': expected shm:PATH, found no path");
        }

        return new TransportUri(scheme, text, specific);
    }

    /**
     * @return true for a Herz ring.
     */
    public boolean isShm()
    {
        return SHM.equals(scheme);
    }

    /**
     * @return the segment file of a Herz ring.
     * @throws IllegalStateException for another scheme.
     */
    public Path path()
    {
        if (!isShm())
        {
            throw new IllegalStateException("stream '" + text + "' is not a Herz ring: it has no path");
        }
        return Path.of(specific);
    }

    public String toString()
    {
        return text;
    }
}
