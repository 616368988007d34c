package io.herz.ipc.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Numeric user ids of files and of this process, for the segment owner check. Containers often run as an
 * arbitrary uid that has no entry in {@code /etc/passwd}, so user names cannot be compared; uids can.
 */
final class FileOwner
{
    private static final int CURRENT_UID = lookupCurrentUid();

    private FileOwner()
    {
    }

    /**
     * @return the effective uid of this process (the owner of the files it creates), or -1 if the platform has none.
     */
    static int currentUid()
    {
        return CURRENT_UID;
    }

    /**
     * @param file a file, not followed if it is a link.
     * @return its owner's uid, or -1 if the file system reports none.
     */
    static int uidOf(final Path file)
    {
        try
        {
            return (Integer)Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException ex)
        {
            return -1;
        }
    }

    private static int lookupCurrentUid()
    {
        // /proc/self belongs to the effective uid of the process reading it (Linux).
        final int procUid = uidOf(Path.of("/proc/self"));
        if (procUid >= 0)
        {
            return procUid;
        }
        try
        {
            return (int)new com.sun.security.auth.module.UnixSystem().getUid();
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return -1; // not a Unix, or the jdk.security.auth module is absent: fall back to user names
        }
    }
}
