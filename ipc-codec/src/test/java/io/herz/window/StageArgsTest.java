package io.herz.window;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class StageArgsTest
{
    private static final List<String> OPTIONS = List.of("--in", "--window", "--producers", "--capacity", "--lag");

    @Test
    void shouldReadTypedValuesWhenOptionsAreWellFormed()
    {
        final StageArgs args = new StageArgs(
            new String[]{ "--in", "a.ring", "--producers", "3", "--capacity", "1m", "--lag", "200ms" }, OPTIONS);

        assertEquals("a.ring", args.string("--in"));
        assertEquals(3, args.nonNegativeInt("--producers", 0));
        assertEquals(1L << 20, args.sizeBytes("--capacity", 0));
        assertEquals(200_000_000L, args.durationNs("--lag", 0));
        assertEquals(7L, args.durationNs("--window", 7));
    }

    @Test
    void shouldRejectWithMessageWhenOptionsAreMalformed()
    {
        assertMessage("option is unknown: expected one of [--in, --window, --producers, --capacity, --lag], " +
            "found '--out'", "--out", "x");
        assertMessage("option has no value: expected --in VALUE, found the end", "--in");
        assertMessage("option is repeated: expected it once, found --in twice", "--in", "a", "--in", "b");
        assertEquals("option is missing: expected --window VALUE, found none",
            assertThrows(IllegalArgumentException.class, () -> new StageArgs(new String[0], OPTIONS)
                .string("--window")).getMessage());
        assertEquals("--producers is not a count: expected an integer >= 0, found '-1'",
            assertThrows(IllegalArgumentException.class, () -> new StageArgs(
                new String[]{ "--producers", "-1" }, OPTIONS).nonNegativeInt("--producers", 0)).getMessage());
        assertEquals("--capacity is not a size: expected bytes with an optional k, m or g suffix, found '1x'",
            assertThrows(IllegalArgumentException.class, () -> new StageArgs(
                new String[]{ "--capacity", "1x" }, OPTIONS).sizeBytes("--capacity", 0)).getMessage());
        assertEquals("--lag duration has no unit: expected <digits><ns|us|ms|s|m|h>, found '5'",
            assertThrows(IllegalArgumentException.class, () -> new StageArgs(
                new String[]{ "--lag", "5" }, OPTIONS).durationNs("--lag", 0)).getMessage());
    }

    @Test
    void shouldExitWithUsageCodeWhenAggregatorOptionsAreBad()
    {
        assertEquals(2, AggregatorMain.run(new String[]{ "--in", "a.ring", "--out", "b.ring" }));
        assertEquals(2, AggregatorMain.run(
            new String[]{ "--in", "a.ring", "--out", "b.ring", "--window", "hopping:1s" }));
        assertEquals(2, SinkMain.run(new String[]{ "--csv", "x.csv" }));
        assertEquals(2, SinkMain.run(new String[]{ "--in", "a.ring", "--producers", "0" }));
    }

    private static void assertMessage(final String message, final String... args)
    {
        assertEquals(message,
            assertThrows(IllegalArgumentException.class, () -> new StageArgs(args, OPTIONS)).getMessage());
    }
}
