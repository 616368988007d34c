package io.herz.bench.ipc;

import io.aeron.driver.MediaDriver;
import io.herz.aeron.AeronDriverConfig;

import java.io.File;
import java.util.Set;

/**
 * The media driver of an Aeron row, in a JVM of its own: one driver per host that the row's producer and consumer
 * JVMs share ({@code -Dherz.aeron.dir}), as Aeron is deployed, with ipc-aeron's settings
 * ({@link AeronDriverConfig#driverContext(File)}: shared threading, 1 MiB terms). Says READY once running and stops
 * when the runner closes its standard input.
 */
public final class AeronDriverMain
{
    private AeronDriverMain()
    {
    }

    /**
     * @param args {@code --dir DIR}.
     * @throws Exception on any failure; the runner sees a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = BenchArgs.parseOptions(args, Set.of("dir"), Set.of());
        try (MediaDriver driver = MediaDriver.launch(AeronDriverConfig.driverContext(new File(options.string("dir")))))
        {
            System.out.println("aeron driver in " + driver.aeronDirectoryName());
            System.out.println(ChildProtocol.READY);
            System.out.flush();
            ChildProtocol.awaitStop();
        }
    }
}
