package io.herz.ipc.fuzz;

import java.util.List;

/**
 * Failures the fuzzer finds in code another change owns, listed by name so that they are counted and reported on
 * every run instead of failing it, and never skipped silently. Each entry is a part of a signature as
 * {@link FuzzChild#signature} and {@link FuzzChildProcess} print them ("step ExceptionType at Class.method" or
 * "crash SIGNAL at Class.method"). Remove an entry once its fix lands: the fuzzer then fails on it again. The
 * summary lists the entries that matched nothing during a run, so stale ones are easy to spot.
 */
final class ExpectedFailures
{
    /**
     * Known failures inside the ring classes (layout v1), to be fixed by ring v2 (issue 13, item 5): the ring
     * reads a position, length or offset from the file and uses it before checking it against the geometry.
     * Seen by this fuzzer on the v1 ring (10,000 cases): a corrupt tail position makes {@code RingProducer.tryClaim}
     * store past the data area (IndexOutOfBoundsException with bounds checks on, SIGSEGV with them off); a corrupt
     * head position or record length makes {@code RingConsumer.readContiguous} read past it. Each entry matches a
     * failure signature containing it.
     */
    static final List<String> RING_V1 = List.of(
        "IndexOutOfBoundsException at RingProducer.",
        "IndexOutOfBoundsException at RingConsumer.",
        "IndexOutOfBoundsException at RingUnblocker.",
        "IndexOutOfBoundsException at ProducerRegistry.",
        "crash SIGSEGV at RingProducer.",
        "crash SIGSEGV at RingConsumer.",
        "crash SIGSEGV at RingUnblocker.",
        "crash SIGBUS at RingProducer.",
        "crash SIGBUS at RingConsumer.",
        // With bounds checks off only the ring writes to memory: a write past the mapping corrupts the Java heap
        // (the next garbage collection crashes) or the native heap (glibc aborts). The crash surfaces in a later
        // case than the write; these entries apply to the bounds-off child only.
        "bounds-off child: crash SIGSEGV at VM.",
        "bounds-off child: crash SIGABRT (native heap corrupted) at VM.");

    private ExpectedFailures()
    {
    }

    /**
     * @param signature a failure signature, prefixed with the child's name ("bounds-off child: ...").
     * @return the matching entry, or null if the failure is not expected.
     */
    static String match(final String signature)
    {
        for (final String entry : RING_V1)
        {
            if (signature.contains(entry))
            {
                return entry;
            }
        }
        return null;
    }
}
