package io.herz.bench.flink;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compares two window CSV files (Herz's {@code herz sink --csv} and {@link FlinkWindowJob}'s) window by window:
 * a window is (start, end, key); its result is the last row written for it (an update supersedes the row before),
 * and the results must be equal as text (count, sum, min, max, mean, the doubles as {@link Double#toString(double)}
 * writes them). Row order does not matter.
 * <p>
 * Files larger together than {@value #IN_MEMORY_BYTES} bytes are compared in partitions: each row goes, in file
 * order, to one of several files next to the left one by the hash of its window, and the partitions are compared
 * one by one, so a run of tens of millions of windows needs a fraction of the heap the whole comparison would.
 * <p>
 * Usage: {@code java -cp herz-flink.jar io.herz.bench.flink.WindowCsvDiff HERZ.csv FLINK.csv}: prints a summary
 * and the first differences; exits 0 when every window is identical, 1 otherwise, 2 on bad input.
 */
public final class WindowCsvDiff
{
    /** Differences listed in full; the rest are counted. */
    static final int MAX_LISTED = 20;

    /** Files larger than this together are compared in partitions of about this size. */
    static final long IN_MEMORY_BYTES = 128L << 20;

    private WindowCsvDiff()
    {
    }

    /**
     * The outcome of a comparison.
     *
     * @param leftWindows  windows in the left file.
     * @param rightWindows windows in the right file.
     * @param leftRows     rows in the left file (more than windows when some were updated).
     * @param rightRows    rows in the right file.
     * @param identical    windows with equal results on both sides.
     * @param differing    windows on both sides with different results.
     * @param onlyLeft     windows only in the left file.
     * @param onlyRight    windows only in the right file.
     * @param listed       the first {@link #MAX_LISTED} differences, described.
     */
    public record Outcome(
        long leftWindows,
        long rightWindows,
        long leftRows,
        long rightRows,
        long identical,
        long differing,
        long onlyLeft,
        long onlyRight,
        List<String> listed)
    {
        /**
         * @return true when both files hold the same windows with the same results.
         */
        public boolean same()
        {
            return 0 == differing && 0 == onlyLeft && 0 == onlyRight;
        }

        /**
         * @param leftName  names the left file.
         * @param rightName names the right file.
         * @return a one-line summary.
         */
        public String summary(final String leftName, final String rightName)
        {
            return (same() ? "identical: " : "DIFFERENT: ") + leftName + " " + leftWindows + " windows (" + leftRows +
                " rows), " + rightName + " " + rightWindows + " windows (" + rightRows + " rows); equal " + identical +
                ", different " + differing + ", only in " + leftName + " " + onlyLeft + ", only in " + rightName + " " +
                onlyRight;
        }
    }

    /**
     * Compare two files.
     *
     * @param left  a window CSV.
     * @param right another.
     * @return the outcome.
     * @throws IllegalArgumentException naming the file and line when a file is not a window CSV.
     * @throws UncheckedIOException naming the file when it cannot be read.
     */
    public static Outcome compare(final Path left, final Path right)
    {
        final long bytes;
        try
        {
            bytes = Files.size(left) + Files.size(right);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read window CSV: " + left + " or " + right, ex);
        }
        return compare(left, right, (int)Math.min(1024, (bytes + IN_MEMORY_BYTES - 1) / IN_MEMORY_BYTES));
    }

    /**
     * Compare two files in {@code partitions} parts (1: all in memory at once).
     *
     * @param left       a window CSV.
     * @param right      another.
     * @param partitions parts, by the hash of the window.
     * @return the outcome, the same for any number of partitions but for the order of the listed differences.
     */
    static Outcome compare(final Path left, final Path right, final int partitions)
    {
        if (partitions <= 1)
        {
            return compareInMemory(left, right);
        }
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory(left.toAbsolutePath().getParent(), "window-csv-diff-");
            final Path[] leftParts = partition(left, directory, "left", partitions);
            final Path[] rightParts = partition(right, directory, "right", partitions);
            final long[] sums = new long[8];
            final List<String> listed = new ArrayList<>();
            for (int i = 0; i < partitions; i++)
            {
                final Outcome part = compareInMemory(leftParts[i], rightParts[i]);
                Files.delete(leftParts[i]);
                Files.delete(rightParts[i]);
                sums[0] += part.leftWindows();
                sums[1] += part.rightWindows();
                sums[2] += part.leftRows();
                sums[3] += part.rightRows();
                sums[4] += part.identical();
                sums[5] += part.differing();
                sums[6] += part.onlyLeft();
                sums[7] += part.onlyRight();
                for (final String difference : part.listed())
                {
                    list(listed, difference.replace(leftParts[i].getFileName().toString(), left.getFileName().toString())
                        .replace(rightParts[i].getFileName().toString(), right.getFileName().toString()));
                }
            }
            return new Outcome(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], listed);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot partition window CSVs " + left + " and " + right + " in " +
                directory, ex);
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    /**
     * Split a window CSV by the hash of each row's window into {@code partitions} files with the same header, rows
     * in file order (so the last row of a window stays last); every row is checked here, so an error names the
     * original file and line.
     */
    private static Path[] partition(final Path file, final Path directory, final String side, final int partitions)
        throws IOException
    {
        final Path[] parts = new Path[partitions];
        final BufferedWriter[] writers = new BufferedWriter[partitions];
        try
        {
            for (int i = 0; i < partitions; i++)
            {
                parts[i] = directory.resolve(side + "-" + i + "-" + file.getFileName());
                writers[i] = Files.newBufferedWriter(parts[i], StandardCharsets.UTF_8);
                writers[i].write(CsvFileSink.HEADER);
                writers[i].newLine();
            }
            forEachRow(file, (line, split) ->
            {
                final BufferedWriter writer =
                    writers[Math.floorMod(line.substring(0, split).hashCode(), partitions)];
                writer.write(line);
                writer.newLine();
            });
        }
        finally
        {
            for (final BufferedWriter writer : writers)
            {
                if (writer != null)
                {
                    writer.close();
                }
            }
        }
        return parts;
    }

    private static void deleteQuietly(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        }
        catch (final IOException ignore)
        {
            // a temporary folder left behind is reported by nothing else; the comparison's outcome stands
        }
    }

    private static Outcome compareInMemory(final Path left, final Path right)
    {
        final Map<String, String> leftResults = new HashMap<>(1 << 16);
        final long leftRows = read(left, leftResults);
        final long[] counts = new long[4]; // rows, identical, differing, only right
        final List<String> listed = new ArrayList<>();
        final Map<String, String> rightResults = new HashMap<>(1 << 16);
        counts[0] = read(right, rightResults);
        for (final Map.Entry<String, String> entry : rightResults.entrySet())
        {
            final String window = entry.getKey();
            final String leftResult = leftResults.remove(window);
            if (null == leftResult)
            {
                counts[3]++;
                list(listed, "only in " + right.getFileName() + ": " + window + " -> " + entry.getValue());
            }
            else if (leftResult.equals(entry.getValue()))
            {
                counts[1]++;
            }
            else
            {
                counts[2]++;
                list(listed, "different: " + window + ": " + left.getFileName() + " " + leftResult + ", " +
                    right.getFileName() + " " + entry.getValue());
            }
        }
        for (final Map.Entry<String, String> entry : leftResults.entrySet())
        {
            list(listed, "only in " + left.getFileName() + ": " + entry.getKey() + " -> " + entry.getValue());
        }
        final long leftWindows = counts[1] + counts[2] + leftResults.size();

        return new Outcome(leftWindows, rightResults.size(), leftRows, counts[0], counts[1], counts[2],
            leftResults.size(), counts[3], listed);
    }

    private static void list(final List<String> listed, final String difference)
    {
        if (listed.size() < MAX_LISTED)
        {
            listed.add(difference);
        }
    }

    /**
     * Read a window CSV into window -> last result.
     *
     * @return the number of rows.
     */
    private static long read(final Path file, final Map<String, String> results)
    {
        try
        {
            return forEachRow(file, (line, split) -> results.put(line.substring(0, split), line.substring(split + 1)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read window CSV: " + file, ex);
        }
    }

    /**
     * Read a window CSV: check its header and every row, hand each row and the index of the comma after its window
     * to {@code row}.
     *
     * @return the number of rows.
     */
    private static long forEachRow(final Path file, final Row row) throws IOException
    {
        long rows = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            checkHeader(file, reader.readLine());
            String line;
            long lineNumber = 1;
            while (null != (line = reader.readLine()))
            {
                lineNumber++;
                row.accept(line, checkRow(file, lineNumber, line));
                rows++;
            }
        }
        return rows;
    }

    /**
     * One checked row of a window CSV.
     */
    @FunctionalInterface
    private interface Row
    {
        void accept(String line, int windowEnd) throws IOException;
    }

    private static void checkHeader(final Path file, final String header)
    {
        if (!CsvFileSink.HEADER.equals(header))
        {
            throw new IllegalArgumentException(file + ": not a window CSV: expected header '" + CsvFileSink.HEADER +
                "', found '" + header + "'");
        }
    }

    private static int checkRow(final Path file, final long lineNumber, final String line)
    {
        final int split = windowEnd(line);
        if (split < 0)
        {
            throw new IllegalArgumentException(file + ":" + lineNumber +
                ": expected start,end,key,count,sum,min,max,mean, found '" + line + "'");
        }
        return split;
    }

    /**
     * @return the index of the comma after the key (the third field, possibly quoted), or -1 if the row has fewer
     * than eight fields.
     */
    static int windowEnd(final String line)
    {
        final int first = line.indexOf(',');
        final int second = first < 0 ? -1 : line.indexOf(',', first + 1);
        if (second < 0)
        {
            return -1;
        }
        int i = second + 1;
        if (i < line.length() && '"' == line.charAt(i))
        {
            i++;
            while (i < line.length())
            {
                if ('"' == line.charAt(i))
                {
                    if (i + 1 < line.length() && '"' == line.charAt(i + 1))
                    {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            i++;
        }
        final int third = line.indexOf(',', i);
        if (third < 0)
        {
            return -1;
        }
        int commas = 0;
        for (int j = third + 1; j < line.length(); j++)
        {
            if (',' == line.charAt(j))
            {
                commas++;
            }
        }

        return 4 == commas ? third : -1;
    }

    /**
     * Compare two files from the command line.
     *
     * @param args the Herz CSV and the Flink CSV.
     */
    public static void main(final String[] args)
    {
        if (2 != args.length)
        {
            System.err.println("window-csv-diff: expected two files: HERZ.csv FLINK.csv");
            System.exit(2);
        }
        final Outcome outcome;
        try
        {
            outcome = compare(Paths.get(args[0]), Paths.get(args[1]));
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            System.err.println("window-csv-diff: " + ex.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("windows " + outcome.summary("herz", "flink"));
        for (final String difference : outcome.listed())
        {
            System.out.println("  " + difference);
        }
        final long unlisted = outcome.differing() + outcome.onlyLeft() + outcome.onlyRight() - outcome.listed().size();
        if (unlisted > 0)
        {
            System.out.println("  ... and " + unlisted + " more");
        }
        System.exit(outcome.same() ? 0 : 1);
    }
}
