package io.herz.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuReportTest
{
    @Test
    void shouldFormatEveryFigureInSeconds()
    {
        assertEquals("cpu: process 3.21 s, main thread 2.10 s, JIT compilers 0.85 s (compiling 1.40 s elapsed), GC " +
            "0.05 s in 12 collections; JVM up 5.20 s",
            CpuReport.line(3_210_000_000L, 2_100_000_000L, 850_000_000L, 1_400, 50, 12, 5_200));
    }

    @Test
    void shouldSayNotAvailableWhereJvmGivesNoFigure()
    {
        assertEquals("cpu: process n/a, main thread n/a, JIT compilers n/a (compiling n/a elapsed), GC 0.00 s in 0 " +
            "collections; JVM up 0.10 s", CpuReport.line(-1, -1, -1, -1, 0, 0, 100));
    }

    @Test
    void shouldMeasureThisJvm()
    {
        final String line = CpuReport.line();

        assertTrue(line.matches("cpu: process [0-9]+\\.[0-9]{2} s, main thread [0-9]+\\.[0-9]{2} s, JIT compilers " +
            "[0-9]+\\.[0-9]{2} s \\(compiling [0-9]+\\.[0-9]{2} s elapsed\\), GC [0-9]+\\.[0-9]{2} s in [0-9]+ " +
            "collections; JVM up [0-9]+\\.[0-9]{2} s"), line);
    }
}
