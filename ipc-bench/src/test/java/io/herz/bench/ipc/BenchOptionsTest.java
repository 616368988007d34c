package io.herz.bench.ipc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchOptionsTest
{
    @Test
    void shouldReadRatesWithDecimalSuffixesAndMax()
    {
        assertEquals(100_000, BenchOptions.parseRate("100k"));
        assertEquals(1_000_000, BenchOptions.parseRate("1M"));
        assertEquals(250_000, BenchOptions.parseRate("250000"));
        assertEquals(0, BenchOptions.parseRate("max"));
    }

    @Test
    void shouldPickTheQuickShapesWhenQuick()
    {
        final BenchOptions options = BenchOptions.parse(new String[]{"--quick"});

        assertEquals(1, options.rounds);
        assertEquals(List.of(64, 256), options.sizes);
        assertEquals(List.of(64), options.latencySizes);
        assertEquals(64, options.maxTwoProducerLength);
        assertEquals(List.of("100k", "1M", "max"), options.rateNames);
    }

    @Test
    void shouldNameTheBadValueWhenARateIsMalformed()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse(new String[]{"--rates", "100k,fast"}));

        assertEquals("rate: expected e.g. 100k, 1M, 250000 or max, found 'fast'", ex.getMessage());
    }

    @Test
    void shouldNameTheBadValueWhenATransportIsUnknown()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse(new String[]{"--transports", "herz,zeromq"}));

        assertEquals("transport not known: expected all or some of [herz, herz-excl, herz-batch, herz-2c, " +
            "agrona-m2o, agrona-o2o, uds, chronicle, aeron-ipc, aeron-udp], found 'zeromq'", ex.getMessage());
    }

    @Test
    void shouldNameTheBadValueWhenASizeIsNotAMultipleOfEight()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse(new String[]{"--sizes", "64,100"}));

        assertEquals("sizes: message length: expected a multiple of 8 of at least 40, found 100", ex.getMessage());
    }

    @Test
    void shouldRefuseASizeTheRingCannotHold()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse(new String[]{"--capacity", "65536", "--sizes", "8192"}));

        assertEquals("message size too large for the ring: expected at most 4096 for capacity 65536, found 8192",
            ex.getMessage());
    }
}
