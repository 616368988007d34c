package io.herz.window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class WindowSpecTest
{
    @Test
    void shouldParseEveryKindWhenWellFormed()
    {
        assertEquals(WindowSpec.tumbling(1_000_000_000L), WindowSpec.parse("tumbling:1s"));
        assertEquals(WindowSpec.sliding(10_000_000_000L, 1_000_000_000L), WindowSpec.parse("sliding:10s,1s"));
        assertEquals(WindowSpec.session(5_000_000_000L), WindowSpec.parse("session:5s"));
        assertEquals(WindowSpec.tumbling(200_000_000L), WindowSpec.parse("tumbling:200ms"));
    }

    @Test
    void shouldExposeSizesWhenParsed()
    {
        final WindowSpec sliding = WindowSpec.parse("sliding:10s,500ms");
        final WindowSpec session = WindowSpec.parse("session:5m");

        assertEquals(WindowKind.SLIDING, sliding.kind());
        assertEquals(10_000_000_000L, sliding.sizeNs());
        assertEquals(500_000_000L, sliding.slideNs());
        assertEquals(0L, sliding.gapNs());
        assertEquals(WindowKind.SESSION, session.kind());
        assertEquals(300_000_000_000L, session.gapNs());
    }

    @Test
    void shouldRoundTripWhenFormatted()
    {
        for (final String text : new String[]{ "tumbling:1s", "sliding:10s,1s", "session:5s", "tumbling:1500ms" })
        {
            assertEquals(text, WindowSpec.parse(text).toString());
        }
    }

    @Test
    void shouldRejectWithMessageWhenSpecIsMalformed()
    {
        assertMessage(
            "window spec is empty: expected tumbling:SIZE, sliding:SIZE,SLIDE or session:GAP, found ''", "");
        assertMessage(
            "window spec has no ':': expected tumbling:SIZE, sliding:SIZE,SLIDE or session:GAP, found 'tumbling'",
            "tumbling");
        assertMessage(
            "window kind is unknown: expected tumbling, sliding or session, found 'hopping' spec=hopping:1s",
            "hopping:1s");
        assertMessage(
            "sliding window spec has no slide: expected sliding:SIZE,SLIDE, found 'sliding:10s'", "sliding:10s");
        assertMessage(
            "tumbling window size is not positive: expected > 0, found '0ms' spec=tumbling:0ms", "tumbling:0ms");
        assertMessage(
            "sliding window slide is not positive: expected > 0, found '0' spec=sliding:1s,0", "sliding:1s,0");
        assertMessage(
            "session window gap is invalid: duration has no unit: expected <digits><ns|us|ms|s|m|h>, found '5' " +
            "spec=session:5", "session:5");
        assertMessage(
            "tumbling window size is invalid: duration unit is unknown: expected <digits><ns|us|ms|s|m|h>, " +
            "found '1x' spec=tumbling:1x", "tumbling:1x");
    }

    @Test
    void shouldRejectWithMessageWhenBuiltWithNonPositiveSize()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> WindowSpec.sliding(10, -1));

        assertEquals("sliding window slide is not positive: expected > 0, found -1ns", ex.getMessage());
    }

    private static void assertMessage(final String message, final String text)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> WindowSpec.parse(text));
        assertEquals(message, ex.getMessage());
    }
}
