package io.herz.bench.flink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowCsvDiffTest
{
    @TempDir
    Path dir;

    @Test
    void partitionedComparisonGivesTheInMemoryOutcome() throws IOException
    {
        final List<String> left = new ArrayList<>();
        final List<String> right = new ArrayList<>();
        for (int k = 0; k < 500; k++)
        {
            final String window = "1000,2000,key-" + k;
            left.add(window + ",1,2.5,2.5,2.5,2.5");
            right.add(0, window + ",1,2.5,2.5,2.5,2.5"); // other order
        }
        left.add("1000,2000,updated,1,1.0,1.0,1.0,1.0");
        left.add("1000,2000,updated,2,3.0,1.0,2.0,1.5"); // the update supersedes the row before
        right.add("1000,2000,updated,2,3.0,1.0,2.0,1.5");
        left.add("2000,3000,differs,1,1.0,1.0,1.0,1.0");
        right.add("2000,3000,differs,1,1.25,1.25,1.25,1.25");
        left.add("3000,4000,\"quoted,key\",1,1.0,1.0,1.0,1.0");
        right.add("3000,4000,only-right,1,1.0,1.0,1.0,1.0");
        final Path leftFile = write("herz.csv", left);
        final Path rightFile = write("flink.csv", right);

        final WindowCsvDiff.Outcome whole = WindowCsvDiff.compare(leftFile, rightFile, 1);
        final WindowCsvDiff.Outcome parts = WindowCsvDiff.compare(leftFile, rightFile, 7);

        assertEquals(503, whole.leftWindows());
        assertEquals(504, whole.leftRows());
        assertEquals(501, whole.identical());
        assertEquals(1, whole.differing());
        assertEquals(1, whole.onlyLeft());
        assertEquals(1, whole.onlyRight());
        assertFalse(whole.same());
        assertEquals(whole.leftWindows(), parts.leftWindows());
        assertEquals(whole.rightWindows(), parts.rightWindows());
        assertEquals(whole.leftRows(), parts.leftRows());
        assertEquals(whole.rightRows(), parts.rightRows());
        assertEquals(whole.identical(), parts.identical());
        assertEquals(whole.differing(), parts.differing());
        assertEquals(whole.onlyLeft(), parts.onlyLeft());
        assertEquals(whole.onlyRight(), parts.onlyRight());
        assertEquals(new HashSet<>(whole.listed()), new HashSet<>(parts.listed()), "the differences name the files");
        try (var files = Files.list(dir))
        {
            assertEquals(2, files.count(), "the partitions are deleted");
        }
    }

    @Test
    void aBadRowIsNamedByItsOriginalFileAndLineWhenPartitioned() throws IOException
    {
        final Path leftFile = write("herz.csv", List.of("1000,2000,a,1,1.0,1.0,1.0,1.0", "1000,2000,b,1,1.0"));
        final Path rightFile = write("flink.csv", List.of("1000,2000,a,1,1.0,1.0,1.0,1.0"));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> WindowCsvDiff.compare(leftFile, rightFile, 3));
        assertTrue(ex.getMessage().startsWith(leftFile + ":3: expected start,end,key,count,sum,min,max,mean"),
            ex.getMessage());
    }

    private Path write(final String name, final List<String> rows) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        lines.add(CsvFileSink.HEADER);
        lines.addAll(rows);
        return Files.write(dir.resolve(name), lines);
    }
}
