package io.herz.ipc.process;

/**
 * The program of {@link JvmLauncherTest}'s class-data sharing runs: a class that lives in a jar of its own.
 */
final class CdsHello
{
    private CdsHello()
    {
    }

    public static void main(final String[] args)
    {
        System.out.println("hello from the jar");
    }
}
