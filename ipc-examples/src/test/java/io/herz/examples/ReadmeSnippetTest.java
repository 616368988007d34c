package io.herz.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ReadmeSnippetTest
{
    @Test
    void shouldShowCompiledRingExampleVerbatimInReadme() throws Exception
    {
        final String source = Files.readString(Path.of("src/main/java/io/herz/examples/RingQuickStart.java"));
        final String snippet = source.substring(
            source.indexOf('\n', source.indexOf("// tag::ring[]")) + 1, source.indexOf("        // end::ring[]"));
        final String readme = Files.readString(Path.of("../README.md"));

        final String expected = dedent(snippet);
        assertTrue(readme.contains(expected), "README.md must contain the ring example of RingQuickStart verbatim:\n" +
            expected);
    }

    @Test
    void shouldRunTheExample(@TempDir final Path dir) throws Exception
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            RingQuickStart.main(new String[]{ "shm:" + dir.resolve("quickstart.seg") });
        }
        finally
        {
            System.setOut(saved);
        }
        assertEquals("42\n", out.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("quickstart.seg")), "the example removes its ring");
    }

    private static String dedent(final String text)
    {
        final List<String> lines = text.lines().collect(Collectors.toList());
        return lines.stream().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
            .collect(Collectors.joining("\n")) + "\n";
    }
}
