package io.herz.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code herz} command line. Exit codes: 0 success, 1 runtime failure, 2 usage error.
 */
@Command(
    name = "herz",
    mixinStandardHelpOptions = true,
    version = "herz 0.1.0",
    description = "Shared-memory inter-process messaging: mmap'd MPSC rings, SBE events, windowed aggregation.",
    subcommands = {
        StatCommand.class,
        ConsumersCommand.class,
        LsCommand.class,
        CleanCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class,
        AggregateCommand.class,
        SinkCommand.class,
        PipelineCommand.class,
        DemoCommand.class,
        BenchCommand.class,
        DriverCommand.class,
        CommandLine.HelpCommand.class
    })
public final class HerzCli implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * {@code --aeron-dir DIR}, accepted by every command: Aeron streams ({@code aeron:udp}, {@code aeron:ipc}) use
     * the standalone media driver in DIR ({@code herz driver}) instead of an embedded one; {@code herz driver} runs
     * there; {@code herz stat} shows that driver's streams.
     *
     * @param dir the driver's directory.
     */
    @CommandLine.Option(names = "--aeron-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
        description = "Use (or, for 'herz driver', run) the standalone Aeron media driver in DIR instead of an " +
            "embedded one.")
    void aeronDir(final String dir)
    {
        if (null != dir)
        {
            System.setProperty(io.herz.aeron.AeronDriverConfig.AERON_DIR_PROP, dir);
        }
    }

    /**
     * Run the command line.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        final Shutdown shutdown = Shutdown.instance();
        final int code;
        try
        {
            code = execute(args);
        }
        finally
        {
            shutdown.done();
        }
        if (!shutdown.isRequested())
        {
            System.exit(code);
        }
        // A signal (SIGINT, SIGTERM) began the JVM's shutdown: it exits with 128 + the signal once the hooks are
        // done. System.exit(code) here would race that: java.lang.Shutdown.exit halts at once with a nonzero status
        // when the VM is already shut down, so a call landing after the hooks finished and before the signal's own
        // halt exited with the command's code instead (`herz pipeline` stopped by Ctrl-C, its sources ended by its
        // SIGTERM, exited 1 instead of 130 once in a CI run: CliProcessTest). Returning lets the signal's exit stand.
    }

    /**
     * Run the command line without exiting.
     *
     * @param args arguments.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /**
     * @return the configured picocli command line.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new HerzCli());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("herz " + cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return commandLine;
    }

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
