package io.herz.ipc.segment;

import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RecordDescriptor;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the three descriptions of the segment layout in step: the tables of {@code docs/LAYOUT.md}, the descriptor
 * constants ({@link SegmentDescriptor}, {@link ProducerSlotDescriptor}, {@link RecordDescriptor}, Agrona's
 * {@link CountersReader}) and the descriptors' Javadoc tables; also checks that hot fields are 128 bytes apart and
 * that the fence table of {@code docs/LAYOUT.md} is the one in {@code ring/package-info.java}.
 */
@Timeout(30)
class LayoutTest
{
    private static final Pattern TABLE_MARKER = Pattern.compile("^<!-- table: ([a-z-]+) -->$");
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern JAVADOC_ROW = Pattern.compile("^\\s*(\\d+)\\s+(\\d+|n)\\s+(\\w+)");
    private static final List<Class<?>> DESCRIPTORS = List.of(
        SegmentDescriptor.class, ConsumerSlotDescriptor.class, ProducerSlotDescriptor.class, RecordDescriptor.class,
        CountersReader.class);
    private static final List<String> FIELD_TABLES = List.of(
        "header", "ring-block", "consumer-slot", "producer-slot", "counter-metadata", "counter-value", "record");
    private static final int BLOCK = 128;

    private final Map<String, List<Map<String, String>>> tables = parseTables(read(locate("docs/LAYOUT.md")));

    @Test
    void shouldDocumentEveryConstantWithItsValue()
    {
        final List<Map<String, String>> constants = table("constants");

        for (final Map<String, String> row : constants)
        {
            assertEquals(number(row.get("value")), constant(row.get("constant")), "constant " + row.get("name"));
        }
        assertTrue(constants.size() >= 16, "constants documented: " + constants.size());
    }

    @Test
    void shouldDocumentEveryOffsetAndSizeAsTheDescriptorsDefineThem()
    {
        for (final String name : FIELD_TABLES)
        {
            long end = 0;
            for (final Map<String, String> row : table(name))
            {
                final String where = name + " field " + row.get("field");
                final long offset = number(row.get("offset"));
                if (!"-".equals(row.get("constant")))
                {
                    assertEquals(offset, constant(row.get("constant")), where + ": offset");
                }
                assertTrue(offset >= end, where + ": overlaps the field before it, which ends at " + end);
                assertTrue(offset % naturalAlignment(row.get("type")) == 0, where + ": not naturally aligned");
                final String size = row.get("size");
                final long expectedSize = sizeOf(row.get("type"));
                if (expectedSize > 0)
                {
                    assertEquals(expectedSize, number(size), where + ": size of a " + row.get("type"));
                }
                end = "n".equals(size) ? Long.MAX_VALUE : offset + number(size);
            }
        }
        assertEquals(ProducerSlotDescriptor.SLOT_LENGTH, end(table("producer-slot")), "slot fields fill the slot");
        assertEquals(ConsumerSlotDescriptor.SLOT_LENGTH, end(table("consumer-slot")), "slot fields fill the slot");
        assertEquals(CountersReader.METADATA_LENGTH, end(table("counter-metadata")));
        assertEquals(CountersReader.COUNTER_LENGTH, end(table("counter-value")));
        assertEquals(RecordDescriptor.HEADER_LENGTH, number(field("record", "payload").get("offset")));
    }

    @Test
    void shouldDocumentEveryOffsetConstantOfTheDescriptors() throws IllegalAccessException
    {
        final Set<String> documented = new HashSet<>();
        for (final String name : FIELD_TABLES)
        {
            for (final Map<String, String> row : table(name))
            {
                documented.add(row.get("constant"));
            }
        }

        for (final Class<?> descriptor : List.of(
            SegmentDescriptor.class, ConsumerSlotDescriptor.class, ProducerSlotDescriptor.class, RecordDescriptor.class))
        {
            for (final Field field : descriptor.getFields())
            {
                if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_OFFSET"))
                {
                    final String name = descriptor.getSimpleName() + "." + field.getName();
                    assertTrue(documented.contains(name), name + " (" + field.get(null) + ") is not in docs/LAYOUT.md");
                }
            }
        }
    }

    @Test
    void shouldGiveEveryHotFieldItsOwn128ByteBlock()
    {
        assertEquals(BLOCK, SegmentDescriptor.BLOCK_LENGTH);
        assertEquals(BLOCK, ProducerSlotDescriptor.SLOT_LENGTH);
        assertEquals(BLOCK, ConsumerSlotDescriptor.SLOT_LENGTH);
        final int[] hot = {
            0, SegmentDescriptor.TAIL_POSITION_OFFSET, SegmentDescriptor.CLEAN_POSITION_OFFSET,
            SegmentDescriptor.RING_BLOCK_OFFSET, SegmentDescriptor.CONSUMER_SLOTS_OFFSET };
        for (int i = 1; i < hot.length; i++)
        {
            assertEquals(BLOCK, hot[i] - hot[i - 1], "hot block " + i + " starts 128 bytes after the one before");
        }
        for (int slot = 0; slot < SegmentDescriptor.CONSUMER_SLOT_COUNT; slot++)
        {
            assertEquals(SegmentDescriptor.CONSUMER_SLOTS_OFFSET + BLOCK * slot,
                SegmentDescriptor.consumerSlotOffset(slot));
        }
        assertEquals(SegmentDescriptor.consumerSlotOffset(SegmentDescriptor.CONSUMER_SLOT_COUNT),
            SegmentDescriptor.PRODUCER_SLOTS_OFFSET, "producer slots start right after the last consumer slot");
        for (int slot = 0; slot < 64; slot++)
        {
            assertEquals(SegmentDescriptor.PRODUCER_SLOTS_OFFSET + BLOCK * slot,
                SegmentDescriptor.producerSlotOffset(slot));
            assertEquals(BLOCK,
                SegmentDescriptor.producerSlotOffset(slot + 1) - SegmentDescriptor.producerSlotOffset(slot));
        }
        assertEquals(SegmentDescriptor.producerSlotOffset(32), SegmentDescriptor.countersMetadataOffset(32),
            "counters start right after the last slot");
        assertEquals(0, CountersReader.COUNTER_LENGTH % BLOCK, "counter values 128 bytes apart");

        // every documented header field lies in one block, and the tail and clean blocks hold nothing else
        final Map<Long, List<String>> fieldsByBlock = new LinkedHashMap<>();
        for (final String name : List.of("header", "ring-block"))
        {
            for (final Map<String, String> row : table(name))
            {
                final long offset = number(row.get("offset"));
                final long last = offset + number(row.get("size")) - 1;
                assertEquals(offset / BLOCK, last / BLOCK, row.get("field") + " crosses a block boundary");
                fieldsByBlock.computeIfAbsent(offset / BLOCK, k -> new ArrayList<>()).add(row.get("field"));
            }
        }
        assertEquals(List.of("tailPosition"), fieldsByBlock.get(SegmentDescriptor.TAIL_POSITION_OFFSET / (long)BLOCK));
        assertEquals(List.of("cleanPosition"), fieldsByBlock.get(SegmentDescriptor.CLEAN_POSITION_OFFSET / (long)BLOCK));
        assertEquals(9, fieldsByBlock.get(SegmentDescriptor.RING_BLOCK_OFFSET / (long)BLOCK).size(),
            "the ring block and its 8 fields: " + fieldsByBlock);
        assertEquals(SegmentDescriptor.CONSUMER_SLOTS_OFFSET, SegmentDescriptor.consumerPidNamespaceOffset(
            SegmentDescriptor.CONSUMER_SLOT_COUNT) + 8, "the consumer namespace table ends 8 bytes before slot 0");
        for (int slot = 0; slot < SegmentDescriptor.CONSUMER_SLOT_COUNT; slot++)
        {
            assertEquals(440 + 4 * slot, SegmentDescriptor.consumerPidNamespaceOffset(slot));
        }
        for (final Map<String, String> row : table("header"))
        {
            final long offset = number(row.get("offset"));
            assertTrue(offset < BLOCK || offset % BLOCK == 0, row.get("field") + " is a hot field: starts a block");
        }
    }

    @Test
    void shouldComputeTheDocumentedGeometry()
    {
        final List<Map<String, String>> rows = table("geometry");

        for (final Map<String, String> row : rows)
        {
            final int slots = (int)number(row.get("producerSlotCount"));
            final int counters = (int)number(row.get("counterCount"));
            final long capacity = number(row.get("capacity"));
            final String where = "geometry " + row;
            assertEquals(number(row.get("countersMetadataOffset")),
                SegmentDescriptor.countersMetadataOffset(slots), where);
            assertEquals(number(row.get("countersValuesOffset")),
                SegmentDescriptor.countersValuesOffset(slots, counters), where);
            final int headerLength = SegmentDescriptor.headerLength(slots, counters);
            assertEquals(number(row.get("headerLength")), headerLength, where);
            assertEquals(number(row.get("fileLength")), headerLength + capacity, where);
        }
        assertTrue(rows.size() >= 3);
        final SegmentConfig defaults = new SegmentConfig().conclude();
        assertEquals(String.valueOf(defaults.producerSlotCount()), rows.get(2).get("producerSlotCount"));
        assertEquals(String.valueOf(defaults.counterCount()), rows.get(2).get("counterCount"));
        assertEquals(String.valueOf(defaults.capacity()), rows.get(2).get("capacity"));
    }

    @Test
    void shouldAgreeWithTheDescriptorsJavadocTables() throws IOException
    {
        assertJavadocAgrees(SegmentDescriptor.class, "header", "ring-block");
        assertJavadocAgrees(ConsumerSlotDescriptor.class, "consumer-slot");
        assertJavadocAgrees(ProducerSlotDescriptor.class, "producer-slot");
        assertJavadocAgrees(RecordDescriptor.class, "record");
    }

    @Test
    void shouldCopyTheFenceTableOfThePackageInfo()
    {
        final String source = read(locate("ipc-core/src/main/java/io/herz/ipc/ring/package-info.java"));
        final List<String> lines = preLines(source);
        final String headerLine = lines.get(0);
        final int[] columns = {
            0, headerLine.indexOf("where"), headerLine.indexOf("access"), headerLine.indexOf("publishes"),
            headerLine.indexOf("pairs with") };
        final List<List<String>> javaRows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.length; i++)
            {
                final int end = i + 1 < columns.length ? Math.min(columns[i + 1], line.length()) : line.length();
                cells.add(line.substring(Math.min(columns[i], line.length()), end).strip());
            }
            javaRows.add(cells);
        }

        final List<List<String>> docRows = new ArrayList<>();
        for (final Map<String, String> row : table("fences"))
        {
            docRows.add(List.of(row.get("id"), row.get("where"), row.get("access"), row.get("publishes / observes"),
                row.get("pairs with")));
        }

        assertEquals(31, javaRows.size(), "F0..F29 and F5x in package-info.java");
        assertEquals(javaRows.size(), docRows.size(), "fences in docs/LAYOUT.md");
        for (int i = 0; i < javaRows.size(); i++)
        {
            assertEquals(javaRows.get(i), docRows.get(i), "fence row " + i + " of docs/LAYOUT.md");
        }
    }

    private void assertJavadocAgrees(final Class<?> descriptor, final String... tableNames) throws IOException
    {
        final String path = "ipc-core/src/main/java/" + descriptor.getName().replace('.', '/') + ".java";
        final Map<String, long[]> javadoc = new LinkedHashMap<>();
        for (final String line : preLines(read(locate(path))))
        {
            final Matcher matcher = JAVADOC_ROW.matcher(line);
            if (matcher.find())
            {
                final long size = "n".equals(matcher.group(2)) ? -1 : Long.parseLong(matcher.group(2));
                final long offset = Long.parseLong(matcher.group(1));
                final long[] previous = javadoc.put(matcher.group(3), new long[]{ offset, size });
                assertEquals(null, previous, descriptor.getSimpleName() + " Javadoc lists " + matcher.group(3) +
                    " twice");
            }
        }
        final Map<String, long[]> documented = new LinkedHashMap<>();
        for (final String name : tableNames)
        {
            for (final Map<String, String> row : table(name))
            {
                final String size = row.get("size");
                documented.put(row.get("field").split(" ")[0],
                    new long[]{ number(row.get("offset")), "n".equals(size) ? -1 : number(size) });
            }
        }

        assertEquals(documented.keySet(), javadoc.keySet(), descriptor.getSimpleName() + " Javadoc fields");
        for (final Map.Entry<String, long[]> entry : javadoc.entrySet())
        {
            final long[] doc = documented.get(entry.getKey());
            final String where = descriptor.getSimpleName() + " Javadoc, field " + entry.getKey();
            assertEquals(doc[0], entry.getValue()[0], where + ": offset");
            assertEquals(doc[1], entry.getValue()[1], where + ": size");
        }
    }

    private List<Map<String, String>> table(final String name)
    {
        final List<Map<String, String>> rows = tables.get(name);
        assertNotNull(rows, "docs/LAYOUT.md has no table '" + name + "'; it has " + tables.keySet());
        assertFalse(rows.isEmpty(), "table " + name + " is empty");
        return rows;
    }

    private Map<String, String> field(final String tableName, final String field)
    {
        for (final Map<String, String> row : table(tableName))
        {
            if (field.equals(row.get("field")))
            {
                return row;
            }
        }
        return fail("no field " + field + " in table " + tableName);
    }

    private static long end(final List<Map<String, String>> rows)
    {
        final Map<String, String> last = rows.get(rows.size() - 1);
        return number(last.get("offset")) + number(last.get("size"));
    }

    /**
     * Tables of LAYOUT.md: a {@code <!-- table: NAME -->} line, then a Markdown pipe table (header, separator, rows).
     */
    static Map<String, List<Map<String, String>>> parseTables(final String markdown)
    {
        final Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
        final String[] lines = markdown.split("\n");
        for (int i = 0; i < lines.length; i++)
        {
            final Matcher marker = TABLE_MARKER.matcher(lines[i].strip());
            if (!marker.matches())
            {
                continue;
            }
            final String name = marker.group(1);
            final List<String> header = cells(lines[i + 1]);
            assertTrue(lines[i + 2].strip().matches("\\|(-+\\|)+"), "separator row of table " + name);
            final List<Map<String, String>> rows = new ArrayList<>();
            int j = i + 3;
            for (; j < lines.length && lines[j].strip().startsWith("|"); j++)
            {
                final List<String> cells = cells(lines[j]);
                assertEquals(header.size(), cells.size(), "cells in table " + name + ": " + lines[j]);
                final Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++)
                {
                    row.put(header.get(c), cells.get(c));
                }
                rows.add(row);
            }
            assertEquals(null, tables.put(name, rows), "table " + name + " appears twice");
            i = j;
        }
        return tables;
    }

    private static List<String> cells(final String line)
    {
        final String trimmed = line.strip();
        assertTrue(trimmed.startsWith("|") && trimmed.endsWith("|"), "not a table row: " + line);
        final List<String> cells = new ArrayList<>();
        for (final String cell : CELL_SEPARATOR.split(trimmed.substring(1, trimmed.length() - 1), -1))
        {
            cells.add(cell.strip().replace("\\|", "|"));
        }
        return cells;
    }

    private static List<String> preLines(final String source)
    {
        final int start = source.indexOf("<pre>");
        final int end = source.indexOf("</pre>", start);
        assertTrue(start >= 0 && end > start, "no <pre> table in the Javadoc");
        final List<String> lines = new ArrayList<>();
        for (final String line : source.substring(start + "<pre>".length(), end).split("\n"))
        {
            final String text = line.replaceFirst("^\\s*\\* ?", "");
            if (!text.isEmpty() || !lines.isEmpty())
            {
                lines.add(text);
            }
        }
        return lines;
    }

    private static long constant(final String name)
    {
        final int dot = name.indexOf('.');
        assertTrue(dot > 0, "constant must be Class.FIELD: " + name);
        for (final Class<?> descriptor : DESCRIPTORS)
        {
            if (descriptor.getSimpleName().equals(name.substring(0, dot)))
            {
                try
                {
                    final Field field = descriptor.getField(name.substring(dot + 1));
                    return ((Number)field.get(null)).longValue();
                }
                catch (final NoSuchFieldException | IllegalAccessException ex)
                {
                    return fail("no public constant " + name, ex);
                }
            }
        }
        return fail("unknown class in " + name + ": expected one of " + DESCRIPTORS);
    }

    private static long number(final String text)
    {
        return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
    }

    private static long sizeOf(final String type)
    {
        switch (type)
        {
            case "int32":
                return 4;
            case "int64":
                return 8;
            case "block":
                return BLOCK;
            case "bytes":
                return -1;
            default:
                return fail("unknown type " + type + ": expected int32, int64, block or bytes");
        }
    }

    private static long naturalAlignment(final String type)
    {
        final long size = sizeOf(type);
        return size > 0 ? size : 1;
    }

    /** Finds a file of the repository from the module directory (where surefire runs) or the repository root. */
    static Path locate(final String relative)
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve(relative);
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        return fail(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return fail("cannot read " + file, ex);
        }
    }
}
