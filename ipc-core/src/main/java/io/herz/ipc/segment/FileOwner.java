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
        // Linux: "Uid: real effective saved filesystem" in /proc/self/status. (Not the owner of /proc/self: a
        // process that changed uid is not "dumpable", and its /proc entries then belong to root.)
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    final String[] ids = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(ids[ids.length >= 4 ? 3 : 1]); // the filesystem uid owns new files
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: ask the JDK below
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
