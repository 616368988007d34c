package io.herz.bench.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child side of the runner protocol: say {@code READY}, wait for {@code GO}, report one {@code RESULT} line.
 */
final class ChildProtocol
{
    static final String READY = "READY";
    static final String GO = "GO";
    static final String RESULT = "RESULT";

    private ChildProtocol()
    {
    }

    /**
     * Print {@code READY} and block until the runner writes {@code GO} on standard input.
     *
     * @throws IOException if standard input closes or says anything else.
     */
    static void readyAndAwaitGo() throws IOException
    {
        System.out.println(READY);
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        final String line = in.readLine();
        if (!GO.equals(line))
        {
            throw new IOException("runner protocol broken: expected " + GO + ", found " + line);
        }
    }

    /**
     * Block until the runner closes standard input (or writes anything).
     *
     * @throws IOException if reading fails.
     */
    static void awaitStop() throws IOException
    {
        System.in.read();
    }

    /**
     * @param keyValues {@code key=value} words.
     */
    static void result(final String keyValues)
    {
        System.out.println(RESULT + " " + keyValues);
        System.out.flush();
    }
}
