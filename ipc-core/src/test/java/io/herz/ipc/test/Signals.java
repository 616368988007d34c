package io.herz.ipc.test;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a child process does with SIGINT depends on how this test JVM was started. A process started as a background
 * job of a non-interactive shell ({@code cmd &}, {@code nohup}) has SIGINT ignored, the ignore survives {@code exec}
 * into every descendant, and a JVM that starts with SIGINT ignored installs no handler for it (HotSpot leaves an
 * inherited {@code SIG_IGN} alone, as {@code nohup} expects): {@code kill -INT} then does nothing and no shutdown hook
 * runs. A test that sends SIGINT starts its child under {@link #defaultSigintPrefix()}, which gives the child the
 * default disposition back, so the test checks the program rather than the shell that started the build.
 */
public final class Signals
{
    private static final int SIGINT = 2;
    private static final String RESET_AND_EXEC = "import os, signal, sys; " +
        "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    private Signals()
    {
    }

    /**
     * Whether this JVM has SIGINT ignored (Linux: the {@code SigIgn} mask of {@code /proc/self/status}); false where
     * that cannot be read.
     *
     * @return true when a child started from here would inherit an ignored SIGINT.
     */
    public static boolean sigintIgnored()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("SigIgn:"))
                {
                    final long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                    return (mask & (1L << (SIGINT - 1))) != 0;
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return false;
        }
        return false;
    }

    /**
     * A command prefix (for {@link ChildJvm#start(String, List, Class, List, String...)}) under which the child
     * starts with SIGINT at its default disposition: empty when SIGINT is not ignored here, else {@code python3}
     * resetting it and exec-ing the JVM (the pid stays the JVM's). Aborts the calling test (an assumption) when SIGINT
     * is ignored and {@code python3} is not there to reset it.
     *
     * @return the prefix, possibly empty.
     */
    public static List<String> defaultSigintPrefix()
    {
        if (!sigintIgnored())
        {
            return List.of();
        }
        Assumptions.assumeTrue(python3Available(), "this JVM ignores SIGINT (started as a background job?) and " +
            "python3 is not installed to give a child the default SIGINT back");
        return List.of("python3", "-c", RESET_AND_EXEC);
    }

    private static boolean python3Available()
    {
        try
        {
            final Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
