package io.herz.examples;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ext.DebugChannelEndpointConfiguration;
import io.herz.aeron.AeronDriverConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code herz driver}: a standalone Aeron media driver that several stages on one host share: start it with
 * {@code --aeron-dir DIR} and give every command the same {@code --aeron-dir DIR} (required for {@code aeron:ipc}
 * between processes; for {@code aeron:udp} it saves one driver per process). Runs until SIGINT/SIGTERM, then
 * deletes its directory. Settings as {@link AeronDriverConfig}: Herz's small-machine defaults unless Aeron's own
 * system properties say otherwise.
 */
@Command(name = "driver", mixinStandardHelpOptions = true,
    description = "Run a standalone Aeron media driver in --aeron-dir (default /dev/shm/herz/aeron-driver) until " +
        "SIGINT/SIGTERM; stages use it with the same --aeron-dir.")
public final class DriverCommand implements Callable<Integer>
{
    /** The directory of {@code herz driver} when no --aeron-dir is given. */
    static final String DEFAULT_DIR = AeronDriverConfig.DEFAULT_BASE_DIR.resolve("aeron-driver").toString();

    @Option(names = "--debug-receive-loss", paramLabel = "RATE", defaultValue = "0",
        description = "Testing aid: drop this fraction (0 to 1) of received data packets with Aeron's debug loss " +
            "generator, to watch NAKs and retransmits recover them (default: ${DEFAULT-VALUE}).")
    private double receiveLossRate;

    @Option(names = "--debug-loss-seed", paramLabel = "N", defaultValue = "-1",
        description = "Seed of the debug loss generator; -1 for a random one (default: ${DEFAULT-VALUE}).")
    private long lossSeed;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public Integer call() throws InterruptedException
    {
        if (receiveLossRate < 0 || receiveLossRate > 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--debug-receive-loss out of range: expected 0 to 1, found " + receiveLossRate);
        }
        final File external = AeronDriverConfig.externalDir();
        final File dir = null != external ? external : new File(DEFAULT_DIR);
        final Shutdown shutdown = Shutdown.instance();
        final MediaDriver.Context context = AeronDriverConfig.driverContext(dir);
        if (receiveLossRate > 0)
        {
            // Read once by Aeron's DebugChannelEndpointConfiguration when that class initialises, below.
            System.setProperty(DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_RATE_PROP_NAME,
                Double.toString(receiveLossRate));
            System.setProperty(DebugChannelEndpointConfiguration.RECEIVE_DATA_LOSS_SEED_PROP_NAME,
                Long.toString(lossSeed));
            context.receiveChannelEndpointSupplier(new io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier());
        }
        try (MediaDriver driver = MediaDriver.launch(context))
        {
            System.out.printf("aeron driver running in %s (threading %s, term length %,d, ipc term length %,d%s); " +
                "stop with Ctrl-C%n", driver.aeronDirectoryName(), context.threadingMode(),
                context.publicationTermBufferLength(), context.ipcTermBufferLength(),
                receiveLossRate > 0 ? ", debug receive loss " + receiveLossRate : "");
            System.out.flush();
            while (!shutdown.isRequested())
            {
                Thread.sleep(TimeUnit.MILLISECONDS.toMillis(50));
            }
        }
        System.out.println("aeron driver stopped, " + dir + " deleted");
        return 0;
    }
}
