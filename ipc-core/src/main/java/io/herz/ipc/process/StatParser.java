package io.herz.ipc.process;

import java.nio.ByteBuffer;

/**
 * Parser of a {@code /proc/PID/stat} line, "pid (comm) state ppid ... starttime ...", over bytes: no
 * {@code String}, no array. The comm may hold spaces and parentheses (and even look like further fields), so the
 * fields are counted from the last ')' of the line. A parser is reused: {@link #parse(ByteBuffer, int)} sets the
 * fields that the accessors return until the next call.
 */
final class StatParser
{
    /** Index of the start time among the fields that follow the closing ')' of the comm (field 3 is index 0). */
    static final int START_TIME_INDEX = 22 - 3;

    private long pid;
    private char state;
    private long startTime;

    /**
     * Parse the first {@code length} bytes of {@code bytes} (absolute indexes from 0; the buffer's position and
     * limit are not used or changed).
     *
     * @return true if they are a stat line (pid, comm in parentheses, a one-character state and at least the
     *     fields up to the start time followed by a blank, the start time an unsigned decimal of at most 64 bits);
     *     false otherwise (truncated, empty, garbage), and then the accessors' values are meaningless.
     */
    boolean parse(final ByteBuffer bytes, final int length)
    {
        final int open = indexOfOpen(bytes, length);
        int close = -1;
        for (int i = length - 1; i > open && close < 0; i--)
        {
            if (bytes.get(i) == ')')
            {
                close = i;
            }
        }
        if (open <= 0 || close < 0)
        {
            return false;
        }
        final long parsedPid = parsePid(bytes, open);
        if (parsedPid < 0)
        {
            return false;
        }
        int i = close + 1;
        int field = 0;
        char parsedState = 0;
        while (true)
        {
            while (i < length && isSpace(bytes.get(i)))
            {
                i++;
            }
            if (i >= length)
            {
                return false; // the line ends before the start time: truncated
            }
            final int start = i;
            while (i < length && !isSpace(bytes.get(i)))
            {
                i++;
            }
            if (field == 0)
            {
                if (i - start != 1)
                {
                    return false;
                }
                parsedState = (char)(bytes.get(start) & 0xFF);
            }
            else if (field == START_TIME_INDEX)
            {
                // A real line goes on after the start time: one cut inside it would read as another start time.
                if (i >= length || !parseUnsigned(bytes, start, i))
                {
                    return false;
                }
                pid = parsedPid;
                state = parsedState;
                return true;
            }
            field++;
        }
    }

    /** The index of the first " (" (of its space), or -1. */
    private static int indexOfOpen(final ByteBuffer bytes, final int length)
    {
        for (int i = 0; i + 1 < length; i++)
        {
            if (bytes.get(i) == ' ' && bytes.get(i + 1) == '(')
            {
                return i;
            }
        }
        return -1;
    }

    /** The pid in {@code [0, end)}, blanks around it allowed; -1 if it is not a decimal number. */
    private static long parsePid(final ByteBuffer bytes, final int end)
    {
        int from = 0;
        int to = end;
        while (from < to && isSpace(bytes.get(from)))
        {
            from++;
        }
        while (to > from && isSpace(bytes.get(to - 1)))
        {
            to--;
        }
        if (from == to || to - from > 18)
        {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final int digit = bytes.get(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Parse {@code [from, to)} as an unsigned 64-bit decimal into {@link #startTime}; false if it is not one. */
    private boolean parseUnsigned(final ByteBuffer bytes, final int from, final int to)
    {
        long value = 0;
        for (int i = from; i < to; i++)
        {
            final int digit = bytes.get(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }
            // value * 10 + digit must fit 64 unsigned bits.
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0)
            {
                return false;
            }
            value = value * 10 + digit;
        }
        startTime = value;
        return true;
    }

    private static boolean isSpace(final byte b)
    {
        // What String.split("\\s+") split on: space, \t, \n, \u000B, \f, \r.
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    long pid()
    {
        return pid;
    }

    char state()
    {
        return state;
    }

    long startTime()
    {
        return startTime;
    }

    /** Zombie or dead: exited, maybe not yet reaped. */
    boolean isGone()
    {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
