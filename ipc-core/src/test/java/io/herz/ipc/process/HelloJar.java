package io.herz.ipc.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The jar of {@link CdsHello} that the class-sharing tests build, and a real JVM run over it with class-load
 * logging, so a test can tell whether the class came from an archive or cache ({@link #SHARED}) or from the jar.
 */
final class HelloJar
{
    /** The main class in the jar. */
    static final String HELLO = CdsHello.class.getName();
    /** What {@code -Xlog:class+load} prints for a class mapped from an archive or cache. */
    static final String SHARED = "source: shared objects file";

    private HelloJar()
    {
    }

    /**
     * Write the jar: the class, and one text entry per extra string (so a rebuilt jar differs in content).
     */
    static void write(final Path jar, final String... extraEntries) throws IOException
    {
        final String entry = HELLO.replace('.', '/') + ".class";
        try (InputStream in = CdsHello.class.getClassLoader().getResourceAsStream(entry);
            JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)))
        {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
            for (final String extra : extraEntries)
            {
                out.putNextEntry(new JarEntry("extra.txt"));
                out.write(extra.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    /**
     * @return the class-load line of the main class in a run's output.
     */
    static String helloLine(final String output)
    {
        for (final String line : output.split("\n"))
        {
            if (line.contains("[class,load]") && line.contains(" " + HELLO + " "))
            {
                return line;
            }
        }
        return "no class-load line for " + HELLO;
    }

    /**
     * Run {@code javaBinary -Xlog:class+load=info FLAGS -cp JAR HELLO}, output and errors together.
     */
    static Run run(final String javaBinary, final List<String> flags, final Path jar, final long timeoutSeconds)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.add("-Xlog:class+load=info");
        command.addAll(flags);
        command.add("-cp");
        command.add(jar.toString());
        command.add(HELLO);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Thread pump = new Thread(() -> copy(process.getInputStream(), output));
        pump.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        pump.join(5_000);
        return new Run(process.isAlive() ? -1 : process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    private static void copy(final InputStream in, final OutputStream out)
    {
        try
        {
            in.transferTo(out);
        }
        catch (final IOException ignore)
        {
            // the process went away: its exit code tells
        }
    }

    /** What a run did. */
    static final class Run
    {
        final int exitCode;
        final String output;

        Run(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
