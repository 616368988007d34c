package io.herz.ipc.fuzz;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docs/read_segment.py} on mutated segments (the fuzzer's templates and mutations, seeded): every file must
 * end in exit status 0 or 2 with a message, never a Python exception such as {@code struct.error}. One Python
 * process reads every file, so a few thousand cases take seconds.
 */
@Timeout(120)
class ReadSegmentScriptFuzzTest
{
    private static final int CASES = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyMutatedSegmentGetsACleanAnswer() throws Exception
    {
        Assumptions.assumeTrue(python3Available(), "python3 is not installed");
        final Path script = locateScript();
        final List<SegmentTemplates.Template> templates = SegmentTemplates.build(dir.resolve("templates"));
        final long seed = Long.getLong("herz.fuzz.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        final Path cases = Files.createDirectories(dir.resolve("cases"));
        for (int i = 0; i < CASES; i++)
        {
            final List<Mutation> mutations = new ArrayList<>();
            final int count = 1 + random.nextInt(3);
            for (int m = 0; m < count; m++)
            {
                mutations.add(mutation(random));
            }
            Files.write(cases.resolve(String.format("%05d.seg", i)),
                new FuzzCase(random.nextInt(1 << 20), mutations).apply(templates));
        }
        final String harness = String.join("\n",
            "import io, os, sys, contextlib, traceback",
            "sys.path.insert(0, sys.argv[1])",
            "import read_segment",
            "codes = {}",
            "for name in sorted(os.listdir(sys.argv[2])):",
            "    path = os.path.join(sys.argv[2], name)",
            "    out, err = io.StringIO(), io.StringIO()",
            "    try:",
            "        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):",
            "            code = read_segment.main(['read_segment.py', path])",
            "    except BaseException as ex:",
            "        print('UNCLEAN', name, type(ex).__name__, ex, traceback.format_exc().replace(chr(10), ' | '))",
            "        continue",
            "    if code not in (0, 2) or (code == 2 and not err.getvalue().startswith(path + ': ')):",
            "        print('UNCLEAN', name, 'exit', code, repr(err.getvalue()))",
            "    codes[code] = codes.get(code, 0) + 1",
            "print('CODES', sorted(codes.items()))");
        final Process python = new ProcessBuilder("python3", "-c", harness, script.getParent().toString(),
            cases.toString()).redirectErrorStream(true).start();
        final String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(100, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, python.exitValue(), output);
        final List<String> unclean = output.lines().filter(line -> line.startsWith("UNCLEAN")).toList();
        assertEquals(List.of(), unclean, "seed " + seed + " (-Dherz.fuzz.seed=" + seed + " reruns it)");
        assertTrue(output.contains("CODES [(0, ") && output.contains("(2, "), output);
    }

    private static Mutation mutation(final SplittableRandom random)
    {
        final int selector = random.nextInt(Integer.MAX_VALUE);
        return switch (random.nextInt(8))
        {
            case 0, 1, 2 -> new Mutation.SetWord(random.nextInt(4), selector, random.nextBoolean() ? 4 : 8,
                random.nextInt(Mutation.VALUE_KINDS), random.nextLong());
            case 3 -> new Mutation.FlipByte(selector, 1 + random.nextInt(255));
            case 4 -> new Mutation.Truncate(selector);
            case 5 -> new Mutation.Extend(selector, random.nextBoolean());
            case 6 -> new Mutation.CopyWord(selector, random.nextInt(Integer.MAX_VALUE));
            default -> new Mutation.Fill(selector, random.nextInt(Integer.MAX_VALUE), (byte)random.nextInt());
        };
    }

    private static Path locateScript()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs").resolve("read_segment.py")))
        {
            dir = dir.getParent();
        }
        Assumptions.assumeTrue(dir != null, "docs/read_segment.py not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("docs").resolve("read_segment.py");
    }

    private static boolean python3Available()
    {
        try
        {
            final Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }
}
