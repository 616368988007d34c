package io.herz.examples.monitor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict checker used by the exporter tests rejects what Prometheus would reject. */
class PrometheusTextTest
{
    @Test
    void shouldAcceptWellFormedExpositionWhenEscapesAndSuffixesAreValid()
    {
        final List<PrometheusText.Sample> samples = PrometheusText.parse(String.join("\n",
            "# HELP herz_x_total Help with \\\\ and \\n",
            "# TYPE herz_x_total counter",
            "herz_x_total{ring=\"/a \\\"b\\\"\",stage=\"s\"} 1.5E7",
            "# TYPE herz_g gauge",
            "herz_g NaN",
            ""), false);

        assertEquals(2, samples.size());
        assertEquals(1.5E7, PrometheusText.find(samples, "herz_x_total", Map.of("ring", "/a \"b\"")).value());
        assertTrue(Double.isNaN(PrometheusText.find(samples, "herz_g", Map.of()).value()));
    }

    @Test
    void shouldRejectMalformedExpositionWhenAnyLineBreaksTheFormat()
    {
        for (final String bad : List.of(
            "herz_a 1\n",                                                  // sample before TYPE
            "# TYPE herz_a gauge\nherz_b 1\n",                             // sample of another family
            "# TYPE herz_a gauge\nherz_a{x=\"1\"} one\n",                  // value not a number
            "# TYPE herz_a gauge\nherz_a{x=1} 1\n",                        // unquoted label value
            "# TYPE herz_a gauge\nherz_a{x=\"\\t\"} 1\n",                  // bad escape
            "# TYPE herz_a gauge\nherz_a{__x=\"1\"} 1\n",                  // reserved label name
            "# TYPE herz_a gauge\nherz_a 1\nherz_a 2\n",                   // repeated series
            "# TYPE herz_a gauge\n# TYPE herz_a gauge\n",                  // family declared twice
            "# TYPE herz_a_total counter\nherz_a_total -1\n",              // negative counter
            "# TYPE herz_a gauge\nherz_a 1",                               // no final newline
            "# TYPE herz_a gauge\n\nherz_a 1\n",                           // empty line
            "# TYPE herz_a gauge\nherz_a  1\n"))                           // two spaces
        {
            assertThrows(AssertionError.class, () -> PrometheusText.parse(bad, false), bad);
        }
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE herz_a gauge\nherz_a 1\n", true),
            "OpenMetrics without # EOF");
        assertThrows(AssertionError.class,
            () -> PrometheusText.parse("# TYPE herz_a_total counter\nherz_a_total 1\n# EOF\n", true),
            "OpenMetrics counter family named _total");
    }
}
