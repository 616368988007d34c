package io.herz.ipc.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@link FuzzChild} JVM seen from the test: sends a case, waits (with a watchdog) for its answer, and turns a
 * crash (the JVM died: its {@code hs_err} file names the frame) or a hang (no answer in time: the child is killed)
 * into a result. A dead or killed child is replaced by a fresh one for the next case.
 */
final class FuzzChildProcess implements AutoCloseable
{
    private static final String EOF = "\u0000EOF";

    private final String name;
    private final List<String> jvmFlags;
    private final Path errorDir;
    private final long answerTimeoutMs;
    private Process process;
    private OutputStream stdin;
    private BlockingQueue<String> lines;
    private int starts;

    /** The answer to one case. */
    record Answer(Kind kind, String signature, String details, String outcomes)
    {
        boolean isFailure()
        {
            return kind != Kind.OK;
        }
    }

    enum Kind
    {
        OK, FAIL, CRASH, HANG
    }

    /**
     * @param name            label, e.g. "bounds-on".
     * @param jvmFlags        extra JVM flags, e.g. {@code -Dagrona.disable.bounds.checks=true}.
     * @param errorDir        where crashed children leave their {@code hs_err} files.
     * @param answerTimeoutMs the watchdog: a case not answered within this is a hang.
     */
    FuzzChildProcess(final String name, final List<String> jvmFlags, final Path errorDir, final long answerTimeoutMs)
    {
        this.name = name;
        this.jvmFlags = jvmFlags;
        this.errorDir = errorDir;
        this.answerTimeoutMs = answerTimeoutMs;
    }

    int starts()
    {
        return starts;
    }

    private void start() throws IOException, InterruptedException
    {
        Files.createDirectories(errorDir);
        final String java = ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx256m");
        command.add("-Xss1m");
        command.add("-XX:-UsePerfData");
        command.add("-XX:ErrorFile=" + errorDir.resolve("hs_err_" + name + "_%p.log"));
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("-XX:+DisplayVMOutputToStderr");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FuzzChild.class.getName());
        process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(errorDir.resolve(name + "-stderr.log").toFile()))
            .start();
        starts++;
        stdin = process.getOutputStream();
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        lines = queue;
        final BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final Thread reader = new Thread(() ->
        {
            try
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    // Only protocol lines: anything else (a JVM's crash banner) is not an answer.
                    if (line.startsWith("OK ") || line.startsWith("FAIL ") || line.startsWith("READY") ||
                        line.startsWith("PROTOCOL "))
                    {
                        queue.add(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the child died; EOF below says so
            }
            queue.add(EOF);
        }, "fuzz-child-reader-" + name);
        reader.setDaemon(true);
        reader.start();
        final String ready = queue.poll(30, TimeUnit.SECONDS);
        if (ready == null || !ready.startsWith("READY"))
        {
            stop();
            throw new IOException(name + ": fuzz child did not start: " + ready);
        }
    }

    /**
     * The stack of a hung child's main thread, by {@code jstack} of this JDK, so that a hang names where it spins.
     */
    private static String mainThreadStack(final long pid)
    {
        try
        {
            final Process jstack = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jstack").toString(), Long.toString(pid))
                .redirectErrorStream(true).start();
            final String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor(10, TimeUnit.SECONDS);
            final int main = dump.indexOf("\"main\"");
            if (main < 0)
            {
                return dump.length() > 2000 ? dump.substring(0, 2000) : dump;
            }
            final int end = dump.indexOf("\n\n", main);
            return dump.substring(main, end < 0 ? dump.length() : end);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            return "(jstack failed: " + ex + ")";
        }
    }

    /**
     * Run one case.
     *
     * @param id   case number, echoed in the answer.
     * @param file the mutated segment file.
     * @return what happened.
     */
    Answer run(final long id, final Path file) throws IOException, InterruptedException
    {
        if (process == null || !process.isAlive())
        {
            start();
        }
        stdin.write(("CASE " + id + " " + file + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        final String line = lines.poll(answerTimeoutMs, TimeUnit.MILLISECONDS);
        if (line == null)
        {
            final long pid = process.pid();
            final String stack = mainThreadStack(pid);
            stop();
            return new Answer(Kind.HANG, "hang (no answer within " + answerTimeoutMs + " ms)",
                "child pid " + pid + " killed by the watchdog; its main thread was at:\n" + stack, "");
        }
        if (line.equals(EOF))
        {
            final long pid = process.pid();
            process.waitFor(10, TimeUnit.SECONDS);
            final int exit = process.exitValue();
            process = null;
            return crash(pid, exit);
        }
        final String[] parts = line.split(" ", 3);
        final String rest = parts.length == 3 ? parts[2] : "";
        if (parts[0].equals("OK"))
        {
            return new Answer(Kind.OK, "", "", rest);
        }
        final int tab = rest.indexOf('\t');
        final Answer answer = new Answer(Kind.FAIL, tab < 0 ? rest : rest.substring(0, tab),
            tab < 0 ? "" : rest.substring(tab + 1), "");
        if (answer.signature.contains("Error at"))
        {
            stop(); // an Error (OutOfMemoryError, InternalError...) may leave the child unusable: start afresh
        }
        return answer;
    }

    private Answer crash(final long pid, final int exit)
    {
        final Path hsErr = errorDir.resolve("hs_err_" + name + "_" + pid + ".log");
        final StringBuilder details = new StringBuilder("child pid " + pid + " exited with " + exit + "; " + hsErr);
        if (!Files.exists(hsErr))
        {
            // No error report: the JVM did not catch the signal, e.g. abort() from glibc on a corrupt native heap.
            final String what = exit == 134 ? "SIGABRT (native heap corrupted)" : "exit " + exit;
            return new Answer(Kind.CRASH, "crash " + what + " at VM.unknown", details.toString(), "");
        }
        try (Stream<String> text = Files.lines(hsErr, StandardCharsets.ISO_8859_1))
        {
            final List<String> lines = text.limit(2_000).toList();
            return new Answer(Kind.CRASH, "crash " + signal(lines) + " at " + frame(lines, details),
                details.toString(), "");
        }
        catch (final IOException | RuntimeException ex)
        {
            return new Answer(Kind.CRASH, "crash exit " + exit + " at VM.unknown",
                details + " (hs_err unreadable: " + ex + ")", "");
        }
    }

    private static String signal(final List<String> lines)
    {
        for (final String line : lines)
        {
            if (line.startsWith("#  SIGSEGV") || line.startsWith("#  SIGBUS") || line.startsWith("#  SIGILL"))
            {
                return line.substring(3).split(" ")[0];
            }
            if (line.startsWith("#  Internal Error") || line.startsWith("#  fatal error"))
            {
                return "InternalError";
            }
        }
        return "unknown-signal";
    }

    /**
     * The crashing frame: the problematic frame if it is Herz code, else the first Herz frame of the crashing
     * thread's Java stack, else the VM function (a crash in the garbage collector means the heap was corrupted
     * earlier, by a write outside a buffer, and is reported as VM.gc).
     */
    private static String frame(final List<String> lines, final StringBuilder details)
    {
        String problematic = null;
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).startsWith("# Problematic frame:") && i + 1 < lines.size())
            {
                problematic = lines.get(i + 1).substring(1).trim();
                details.append(" | problematic frame: ").append(problematic);
                break;
            }
        }
        if (problematic != null && problematic.contains("io.herz.ipc.") && !problematic.contains("io.herz.ipc.fuzz."))
        {
            return herzFrame(problematic);
        }
        boolean javaFrames = false;
        boolean gc = false;
        for (final String line : lines)
        {
            if (line.startsWith("Native frames:") || line.startsWith("Java frames:"))
            {
                javaFrames = true;
                continue;
            }
            if (javaFrames && line.isBlank())
            {
                javaFrames = false;
                continue;
            }
            if (javaFrames)
            {
                if ((line.startsWith("J ") || line.startsWith("j ")) && line.contains("io.herz.ipc.") &&
                    !line.contains("io.herz.ipc.fuzz."))
                {
                    details.append(" | ").append(line.trim());
                    return herzFrame(line);
                }
                gc |= line.contains("collect") || line.contains("GCTask") || line.contains("Generation::") ||
                    line.contains("CardTable") || line.contains("G1");
            }
        }
        if (gc)
        {
            return "VM.gc";
        }
        if (problematic != null)
        {
            final int symbol = problematic.indexOf("]  ");
            if (symbol > 0)
            {
                final String name = problematic.substring(symbol + 3).split("[(+ ]")[0];
                return "VM." + name;
            }
        }
        return "VM.unknown";
    }

    /** "J 123 c2 io.herz.ipc.ring.RingConsumer.readContiguous(II)V ..." to "RingConsumer.readContiguous". */
    static String herzFrame(final String line)
    {
        final int start = line.indexOf("io.herz.ipc.");
        int end = line.indexOf('(', start);
        if (end < 0)
        {
            end = line.indexOf(' ', start);
        }
        final String qualified = end < 0 ? line.substring(start) : line.substring(start, end);
        final int method = qualified.lastIndexOf('.');
        final int type = qualified.lastIndexOf('.', method - 1);
        return type < 0 ? qualified : qualified.substring(type + 1);
    }

    private void stop()
    {
        if (process != null)
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public void close()
    {
        if (process != null)
        {
            try
            {
                stdin.close(); // EOF: the child exits on its own
                if (!process.waitFor(5, TimeUnit.SECONDS))
                {
                    stop();
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                stop();
            }
            process = null;
        }
    }
}
