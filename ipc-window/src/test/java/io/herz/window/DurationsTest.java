package io.herz.window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class DurationsTest
{
    @Test
    void shouldParseEveryUnitWhenWellFormed()
    {
        assertEquals(500L, Durations.parseNs("500ns"));
        assertEquals(10_000L, Durations.parseNs("10us"));
        assertEquals(200_000_000L, Durations.parseNs("200ms"));
        assertEquals(1_000_000_000L, Durations.parseNs("1s"));
        assertEquals(300_000_000_000L, Durations.parseNs("5m"));
        assertEquals(7_200_000_000_000L, Durations.parseNs("2h"));
        assertEquals(0L, Durations.parseNs("0"));
        assertEquals(0L, Durations.parseNs("0ms"));
    }

    @Test
    void shouldRejectWithMessageWhenTextIsMalformed()
    {
        assertMessage("duration is empty: expected <digits><ns|us|ms|s|m|h>, found ''", "");
        assertMessage("duration has no digits: expected <digits><ns|us|ms|s|m|h>, found 'ms'", "ms");
        assertMessage("duration has no digits: expected <digits><ns|us|ms|s|m|h>, found '-5s'", "-5s");
        assertMessage("duration has no unit: expected <digits><ns|us|ms|s|m|h>, found '200'", "200");
        assertMessage("duration unit is unknown: expected <digits><ns|us|ms|s|m|h>, found '5d'", "5d");
        assertMessage("duration unit is unknown: expected <digits><ns|us|ms|s|m|h>, found '1.5s'", "1.5s");
        assertMessage("duration is too large: expected at most 9223372036854775807ns, found '9999999999h'",
            "9999999999h");
        assertMessage(
            "duration is too large: expected at most 9223372036854775807ns, found '99999999999999999999ns'",
            "99999999999999999999ns");
    }

    @Test
    void shouldFormatWithLargestExactUnitWhenFormatting()
    {
        assertEquals("0", Durations.format(0));
        assertEquals("1500ms", Durations.format(1_500_000_000L));
        assertEquals("5m", Durations.format(300_000_000_000L));
        assertEquals("7ns", Durations.format(7));
        assertEquals(1_500_000_000L, Durations.parseNs(Durations.format(1_500_000_000L)));
    }

    private static void assertMessage(final String message, final String text)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Durations.parseNs(text));
        assertEquals(message, ex.getMessage());
    }
}
