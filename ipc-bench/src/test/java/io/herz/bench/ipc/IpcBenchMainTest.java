package io.herz.bench.ipc;

import io.herz.bench.ring.RingPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcBenchMainTest
{
    @Test
    void shouldCheckEveryMessageOfEveryScenarioWhenRunInSmokeMode() throws Exception
    {
        final IpcBenchOptions options = IpcBenchOptions.parse(new String[]{
            "--smoke", "--messages", "200000", "--log-dir", "target/ipc-bench-logs"});
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

        final List<ScenarioResult> results = IpcBenchMain.run(options, out);

        System.out.println(text.toString(StandardCharsets.UTF_8));
        assertEquals(8, results.size(), "scenarios: 2 peers x 2 producer counts x 2 modes");
        for (final ScenarioResult result : results)
        {
            final long expected = result.mode == ScenarioResult.Mode.THROUGHPUT ? 200_000 : 20_000;
            assertEquals(expected, result.expected, result.toString());
            assertEquals(expected, result.received, result.toString());
            assertTrue(result.complete, result.toString());
            assertEquals(0, result.errors, result.toString());
        }
        assertTrue(results.stream().anyMatch(r -> r.peer == RingPeer.HERZ));
        assertTrue(results.stream().anyMatch(r -> r.peer == RingPeer.AGRONA));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("| Herz/Agrona |"), "Markdown table printed");
    }
}
