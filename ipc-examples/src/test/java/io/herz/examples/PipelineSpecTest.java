package io.herz.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class PipelineSpecTest
{
    private static final Path DIR = Path.of("/dev/shm/herz/test");

    @Test
    void shouldExpandRingsAndDirectoryWhenParsingStages()
    {
        final PipelineSpec spec = PipelineSpec.parse("spec", List.of(
            "# a comment",
            "ring events = ${dir}/events.seg",
            "",
            "stage sink = consume --ring ${events} --print",
            "stage p1 = produce --ring ${events} --json 'my file.json'"), DIR);

        assertEquals(Path.of("/dev/shm/herz/test/events.seg"), spec.rings().get("events"));
        assertEquals(List.of("consume", "--ring", "/dev/shm/herz/test/events.seg", "--print"),
            spec.stages().get("sink"));
        assertEquals(List.of("produce", "--ring", "/dev/shm/herz/test/events.seg", "--json", "my file.json"),
            spec.stages().get("p1"));
    }

    @Test
    void shouldNameLineWhenDirectiveIsUnknown()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PipelineSpec.parse("spec", List.of("ring a = x", "stag b = consume"), DIR));

        assertEquals("spec:2: line not understood: expected 'ring NAME = PATH' or 'stage NAME = SUBCOMMAND ARGS...', " +
            "found 'stag b = consume'", ex.getMessage());
    }

    @Test
    void shouldNameVariableWhenItIsUnknown()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PipelineSpec.parse("spec", List.of("stage b = consume --ring ${nope}"), DIR));

        assertEquals("spec:1: unknown variable: expected ${dir} or a ring defined above, found ${nope}",
            ex.getMessage());
    }

    @Test
    void shouldRejectDuplicateNamesUnterminatedQuotesAndEmptySpecs()
    {
        assertEquals("spec:2: duplicate name: expected a new name, found 'a'",
            assertThrows(IllegalArgumentException.class,
                () -> PipelineSpec.parse("spec", List.of("ring a = x", "stage a = consume"), DIR)).getMessage());
        assertEquals("spec:1: unterminated quote: expected a closing '",
            assertThrows(IllegalArgumentException.class,
                () -> PipelineSpec.parse("spec", List.of("stage a = consume 'x"), DIR)).getMessage());
        assertEquals("spec: no stages: expected at least one 'stage NAME = ...' line",
            assertThrows(IllegalArgumentException.class,
                () -> PipelineSpec.parse("spec", List.of("ring a = x"), DIR)).getMessage());
    }
}
