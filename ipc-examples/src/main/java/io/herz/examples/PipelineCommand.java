package io.herz.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code herz pipeline --spec FILE}: start every stage of a pipeline as its own JVM, show combined progress, stop
 * them all cleanly on Ctrl-C or when the sources finish, remove the rings it created, and exit 1 if any stage
 * failed. {@code --dry-run} prints the graph ({@link PipelineGraph#describe}) and its checks, starts nothing, and
 * exits 1 when a check fails.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run a multi-process pipeline described by a spec file (see README).")
public final class PipelineCommand implements Callable<Integer>
{
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Pipeline spec file.")
    private Path specFile;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Ring directory, the value of $${dir} (default: /dev/shm/herz/pipeline-PID).")
    private Path dir;

    @Option(names = "--progress", defaultValue = "1000", paramLabel = "MS",
        description = "Progress interval in milliseconds, 0 for none (default: ${DEFAULT-VALUE}).")
    private long progressMs;

    @Option(names = "--dry-run",
        description = "Print stages, rings, partitions, consumers, edges and placement, check the graph, start " +
            "nothing.")
    private boolean dryRun;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec commandSpec;

    public Integer call() throws Exception
    {
        final Path ringDir = dir != null ? dir : Path.of("/dev/shm/herz", "pipeline-" + ProcessHandle.current().pid());
        final PipelineSpec spec;
        try
        {
            spec = PipelineSpec.read(specFile, ringDir);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), ex.getMessage());
        }
        final PipelineGraph graph = PipelineGraph.of(spec);
        if (dryRun)
        {
            System.out.print(graph.describe(List.of()));
            return graph.errors().isEmpty() ? 0 : 1;
        }
        try
        {
            graph.check();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), ex.getMessage());
        }
        return runWithShutdownHook(spec, List.of(), progressMs);
    }

    /**
     * Run a pipeline so that Ctrl-C (SIGINT) or SIGTERM stops it in order and still removes its rings.
     */
    static int runWithShutdownHook(final PipelineSpec spec, final List<String> jvmArgs, final long progressMs)
        throws Exception
    {
        final PipelineRunner runner = new PipelineRunner(spec, System.out, jvmArgs);
        final Thread hook = new Thread(runner::close, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return runner.run(progressMs);
        }
        finally
        {
            runner.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // already shutting down: the hook does the same close()
            }
        }
    }
}
