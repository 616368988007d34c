package io.herz.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong results = new AtomicLong();

    @Test
    void shouldPrintOneLinePerIntervalWithCountsOfThatInterval()
    {
        final Timeline timeline = new Timeline(out, 100_000_000L, new String[]{ "events", "results" },
            new LongSupplier[]{ events::get, results::get }, 0);

        events.set(150_000);
        results.set(7);
        timeline.maybePrint(50_000_000L);
        assertEquals("", text(), "no line before the interval has passed");

        timeline.maybePrint(100_000_000L);
        events.set(250_000);
        timeline.maybePrint(150_000_000L);
        timeline.print(200_000_000L);

        final String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        assertTrue(lines[0].startsWith("timeline: 0.10 s events +150,000 (1.50M/s) results +7 | main thread cpu "),
            lines[0]);
        assertTrue(lines[1].startsWith("timeline: 0.20 s events +100,000 (1.00M/s) results +0 | main thread cpu "),
            lines[1]);
        assertTrue(lines[1].matches(".* \\| JIT (cpu|elapsed) [0-9]+\\.[0-9]{2} s \\(\\+[0-9]+ ms\\) \\| GC [0-9]+ \\(\\+[0-9]+\\)"),
            lines[1]);
    }

    @Test
    void shouldRejectIntervalOfZero()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new Timeline(out, 0, new String[]{ "events" }, new LongSupplier[]{ events::get }, 0));

        assertEquals("timeline interval: expected more than 0 ns, found 0", ex.getMessage());
    }

    private String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
