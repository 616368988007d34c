package io.herz.examples.monitor;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class FileHoldersTest
{
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void shouldFindThisProcessByInodeWhenItMapsASegmentUnderAnotherName() throws Exception
    {
        final Path file = dir.resolve("held.seg");
        final Path otherName = dir.resolve("hard-link.seg");
        try (Segment segment = Segment.create(file, new SegmentConfig().capacity(4096)))
        {
            Files.createLink(otherName, file);

            final FileHolders holders = FileHolders.scan(Path.of("/proc"), -1); // -1: do not leave this JVM out

            assertTrue(holders.holdersOf(file).contains(SELF), "found by path and inode");
            assertTrue(holders.holdersOf(otherName).contains(SELF), "found by device and inode only");
            assertFalse(FileHolders.scan().holdersOf(file).contains(SELF), "the scanning process is left out");
            assertFalse(segment.isClosed());
        }
        assertFalse(FileHolders.scan(Path.of("/proc"), -1).holdersOf(file).contains(SELF), "unmapped on close");
    }

    @Test
    void shouldParseMapsLinesWhenDeviceIsHexAndPathIsDeletedOrAbsent() throws Exception
    {
        final Path file = dir.resolve("parsed.seg");
        Files.write(file, new byte[16]);
        final FileHolders.FileId id = FileHolders.fileId(file);
        assertNotNull(id);
        final FileHolders holders = FileHolders.scan(dir, -1); // no pid directories in dir: empty table

        holders.parseMapsLine(String.format("7f0000000000-7f0000001000 rw-s 00000000 %02x:%02x %d       /gone.seg " +
            "(deleted)", id.major(), id.minor(), id.inode()), 42);
        holders.parseMapsLine("7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0          [stack]", 43);
        holders.parseMapsLine("55d000000000-55d000001000 r--p 00000000 fd:01 123456   /usr/bin/java", 44);

        assertEquals(Set.of(42L), holders.holdersOf(file));
        assertEquals(Set.of(44L), holders.holdersOf(Path.of("/usr/bin/java")));
        assertEquals(Set.of(), holders.holdersOf(dir.resolve("nobody-maps-this")));
    }
}
