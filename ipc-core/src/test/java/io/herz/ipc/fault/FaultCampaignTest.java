package io.herz.ipc.fault;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault campaign ({@link FaultCampaign}) at CI size, and a long run tagged "soak". The seed is printed and can
 * be fixed with {@code -Dherz.campaign.seed=N}; {@code -Dherz.campaign.faults=N} and
 * {@code -Dherz.campaign.minutes=M} size the soak run.
 */
class FaultCampaignTest
{
    static final int CI_FAULTS = 200;
    /** Faults of the CI campaign with one exclusive producer at a time. */
    static final int CI_EXCLUSIVE_FAULTS = 100;
    /** Two consumer names (ring v2 fan-out), each killed and restarted on its own. */
    static final int CONSUMERS = 2;

    @Test
    @Timeout(300)
    void ciCampaign() throws Exception
    {
        run(Integer.getInteger("herz.campaign.ci.faults", CI_FAULTS), 0, 1500, false);
    }

    /**
     * One exclusive producer JVM at a time, killed (also inside a claim, before its commit's gate) and replaced: the
     * replacement resolves what the dead one left (F29), consumers see every committed record once, nothing torn.
     */
    @Test
    @Timeout(300)
    void ciExclusiveCampaign() throws Exception
    {
        run(Integer.getInteger("herz.campaign.ci.exclusive.faults", CI_EXCLUSIVE_FAULTS), 0, 1500, true);
    }

    @Test
    @Tag("soak")
    void soakCampaign() throws Exception
    {
        run(Integer.getInteger("herz.campaign.faults", 5000),
            Double.parseDouble(System.getProperty("herz.campaign.minutes", "0")), 3000,
            Boolean.getBoolean("herz.campaign.exclusive"));
    }

    private static void run(final int faults, final double minutes, final long maxStopMs, final boolean exclusive)
        throws Exception
    {
        final long seed = Long.getLong("herz.campaign.seed", System.nanoTime());
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("target");
        final Path dir = base.resolve("herz-test-campaign-" + ProcessHandle.current().pid() + "-" + seed);
        final FaultCampaign.Report report;
        try
        {
            report = new FaultCampaign(dir, seed, faults, minutes, exclusive ? 1 : 4, CONSUMERS, maxStopMs, exclusive)
                .run();
        }
        finally
        {
            FaultCampaign.deleteTree(dir);
        }
        System.out.println(report);
        Files.createDirectories(Path.of("target", "campaign"));
        Files.writeString(Path.of("target", "campaign", "report-" + seed + ".txt"), report + "\n");
        assertTrue(report.problems.isEmpty(), () -> "seed " + seed + ": " + report);
        assertEquals(0, report.lost, () -> "seed " + seed + ": " + report);
        assertTrue(report.delivered > 0 && (exclusive ? report.takeoversMeasured : report.stallsMeasured) > 0,
            () -> "seed " + seed + ": " + report);
        assertEquals(CONSUMERS, report.byConsumer.size(), () -> "seed " + seed + ": " + report);
        for (final long[] consumer : report.byConsumer.values())
        {
            assertTrue(consumer[0] > 0, () -> "every consumer delivered records: seed " + seed + ": " + report);
        }
    }
}
