package io.herz.window;

import io.herz.examples.HerzCli;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Aeron delivers when a side dies, as README ("Beyond one host: Aeron") says, with real JVMs of
 * {@code herz produce} and {@code herz consume --print} over {@code aeron:udp} on loopback, each with its own
 * embedded media driver (dying with its JVM):
 * <ul>
 *     <li>subscriber killed (SIGKILL) mid-stream and restarted: the first got a gap-free prefix 0..k; the restarted
 *     one joins at the live position: a gap-free suffix j..end with j &gt; k and the EndOfStream; what was sent
 *     between is lost for it; the producer, back-pressured and then not connected meanwhile, loses nothing it
 *     was told was published to the live subscriber;</li>
 *     <li>producer killed mid-stream: the subscriber got a gap-free prefix of that producer's events and no
 *     EndOfStream from it, and everything of the other producer;</li>
 *     <li>producer stopped by SIGTERM: everything it published, then its EndOfStream; its driver's directory is
 *     gone.</li>
 * </ul>
 */
@Timeout(180)
class AeronFailureCliTest
{
    private static final Pattern EVENT = Pattern.compile("event producer=(\\d+) seq=(\\d+) ");

    private final List<ChildJvm> children = new ArrayList<>();
    private final Path driverBase = Path.of("/dev/shm", "herz-test-aeron-" + ProcessHandle.current().pid() + "-" +
        System.nanoTime());

    @AfterEach
    void destroyChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
        IoUtil.delete(driverBase.toFile(), true);
    }

    @Test
    void shouldJoinRestartedSubscriberAtLivePositionAndLoseNothingBeforeTheKill() throws Exception
    {
        final String uri = "aeron:udp?endpoint=127.0.0.1:" + AeronPipelineCliTest.freeUdpPort() + "|stream-id=21";
        final int count = 20_000;
        final ChildJvm first = herz("consumer-1", "consume", "--ring", uri, "--print", "--producers", "1");
        final ChildJvm producer = herz("producer", "produce", "--ring", uri, "--producer-id", "1", "--synthetic",
            "--count", Integer.toString(count), "--rate", "4000", "--open-timeout", "60s");
        awaitEvents(first, 1, 2_000);
        first.signal("KILL");
        first.waitFor(AeronPipelineCliTest.WAIT_MS);
        final List<Long> before = sequences(first.log(), 1);

        final ChildJvm second = herz("consumer-2", "consume", "--ring", uri, "--print", "--producers", "1");
        producer.awaitSuccess(AeronPipelineCliTest.WAIT_MS);
        second.awaitSuccess(AeronPipelineCliTest.WAIT_MS);
        final List<Long> after = sequences(second.log(), 1);

        assertContiguous(before, 0, "killed subscriber");
        assertFalse(after.isEmpty(), second.logTail());
        final long joined = after.get(0);
        assertTrue(joined > before.get(before.size() - 1),
            "restarted subscriber must join after what the first one saw: joined at " + joined + ", first saw up to " +
            before.get(before.size() - 1));
        assertContiguous(after, joined, "restarted subscriber");
        assertEquals(count - 1, after.get(after.size() - 1), "restarted subscriber must get the live stream's end");
        assertTrue(second.log().contains("end of stream from producer 1: " + String.format("%,d", count) + " events"),
            second.logTail());
    }

    @Test
    void shouldDeliverGapFreePrefixOfKilledProducerAndAllOfTheOther() throws Exception
    {
        final String uri = "aeron:udp?endpoint=127.0.0.1:" + AeronPipelineCliTest.freeUdpPort() + "|stream-id=22";
        final int count = 12_000;
        final ChildJvm consumer = herz("consumer", "consume", "--ring", uri, "--print", "--producers", "1");
        final ChildJvm survivor = herz("producer-1", "produce", "--ring", uri, "--producer-id", "1", "--synthetic",
            "--count", Integer.toString(count), "--rate", "3000", "--open-timeout", "60s");
        final ChildJvm victim = herz("producer-2", "produce", "--ring", uri, "--producer-id", "2", "--synthetic",
            "--count", "1000000", "--rate", "3000", "--open-timeout", "60s");
        awaitEvents(consumer, 2, 1_500);
        victim.signal("KILL");
        survivor.awaitSuccess(AeronPipelineCliTest.WAIT_MS);
        consumer.awaitSuccess(AeronPipelineCliTest.WAIT_MS);

        final String log = consumer.log();
        final List<Long> fromSurvivor = sequences(log, 1);
        final List<Long> fromVictim = sequences(log, 2);
        assertContiguous(fromSurvivor, 0, "surviving producer");
        assertEquals(count, fromSurvivor.size());
        assertContiguous(fromVictim, 0, "killed producer");
        assertTrue(fromVictim.size() >= 1_500 && fromVictim.size() < 1_000_000, "killed producer: " + fromVictim.size());
        assertFalse(log.contains("end of stream from producer 2"), "no EndOfStream from a killed producer");
    }

    @Test
    void shouldDeliverEverythingAndEndOfStreamWhenProducerIsStoppedBySigterm() throws Exception
    {
        final String uri = "aeron:udp?endpoint=127.0.0.1:" + AeronPipelineCliTest.freeUdpPort() + "|stream-id=23";
        final ChildJvm consumer = herz("consumer", "consume", "--ring", uri, "--print", "--verify", "--producers", "1");
        final ChildJvm producer = herz("producer", "produce", "--ring", uri, "--producer-id", "1", "--synthetic",
            "--count", "1000000", "--rate", "3000", "--open-timeout", "60s");
        awaitEvents(consumer, 1, 1_000);
        producer.signal("TERM");
        final int code = producer.waitFor(AeronPipelineCliTest.WAIT_MS);
        assertTrue(code == 0 || code == 143, "producer on SIGTERM exited with " + code + ":\n" + producer.logTail());
        consumer.awaitSuccess(AeronPipelineCliTest.WAIT_MS); // --verify: exits 1 on any loss, duplicate or disorder
        final List<Long> received = sequences(consumer.log(), 1);
        assertContiguous(received, 0, "subscriber of a producer stopped by SIGTERM");
        assertTrue(consumer.log().contains("end of stream from producer 1: " +
            String.format("%,d", received.size()) + " events"), consumer.logTail());
        assertFalse(Files.exists(driverBase.resolve("aeron-" + producer.pid())),
            "the producer's embedded driver directory must go on SIGTERM");
    }

    private ChildJvm herz(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, HerzCli.class,
            List.of("-D" + io.herz.aeron.AeronDriverConfig.BASE_DIR_PROP + "=" + driverBase), args);
        children.add(child);
        return child;
    }

    private static void awaitEvents(final ChildJvm child, final int producerId, final int atLeast) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + AeronPipelineCliTest.WAIT_MS;
        while (sequences(child.log(), producerId).size() < atLeast)
        {
            if (!child.process().isAlive() || System.currentTimeMillis() > deadlineMs)
            {
                throw new AssertionError(child + " did not print " + atLeast + " events of producer " + producerId +
                    ":\n" + child.logTail());
            }
            Thread.sleep(50);
        }
    }

    private static List<Long> sequences(final String log, final int producerId)
    {
        final List<Long> sequences = new ArrayList<>();
        final Matcher matcher = EVENT.matcher(log);
        while (matcher.find())
        {
            if (Integer.parseInt(matcher.group(1)) == producerId)
            {
                sequences.add(Long.parseLong(matcher.group(2)));
            }
        }
        return sequences;
    }

    private static void assertContiguous(final List<Long> sequences, final long first, final String who)
    {
        assertFalse(sequences.isEmpty(), who + ": no events");
        for (int i = 0; i < sequences.size(); i++)
        {
            if (sequences.get(i) != first + i)
            {
                throw new AssertionError(who + ": expected sequence " + (first + i) + " at " + i + ", found " +
                    sequences.get(i) + " (a gap or a duplicate)");
            }
        }
    }
}
