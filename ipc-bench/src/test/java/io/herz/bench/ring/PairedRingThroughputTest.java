package io.herz.bench.ring;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedRingThroughputTest
{
    @Test
    void everyPeerRunsItsPhasesAndEveryMessageIsChecked() throws Exception
    {
        final RingBenchmark.Peer[] peers = {
            RingBenchmark.Peer.AGRONA, RingBenchmark.Peer.HERZ_EXCLUSIVE, RingBenchmark.Peer.HERZ_BATCH};
        final ByteArrayOutputStream cycles = new ByteArrayOutputStream();
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final double[][] rates = PairedRingThroughput.run(peers, 3, 1, 20, 64 * 1024, 0, "busy-spin", 1,
            new PrintStream(cycles, true, StandardCharsets.UTF_8), new PrintStream(report, true, StandardCharsets.UTF_8));

        assertEquals(peers.length, rates.length);
        for (int p = 0; p < peers.length; p++)
        {
            assertEquals(3, rates[p].length);
            for (final double rate : rates[p])
            {
                assertTrue(rate > 0, peers[p] + " sent nothing in a phase: " + rate);
            }
        }
        final String log = cycles.toString(StandardCharsets.UTF_8);
        assertEquals(4, log.lines().count(), log); // one warm-up cycle and three measured ones
        assertTrue(log.lines().findFirst().orElseThrow().endsWith("(warm-up)"), log);
        final String text = report.toString(StandardCharsets.UTF_8);
        for (final RingBenchmark.Peer peer : peers)
        {
            assertTrue(text.lines().anyMatch(line -> line.startsWith(peer.name() + " ")), text);
        }
        assertTrue(text.contains("paired ratio: the peer's phase rate over AGRONA's"), text);
    }

    @Test
    void pacedPhasesReportEachPeersLatency() throws Exception
    {
        final RingBenchmark.Peer[] peers = {RingBenchmark.Peer.AGRONA, RingBenchmark.Peer.HERZ};
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final double[][] medians = PairedRingThroughput.run(peers, 2, 1, 20, 64 * 1024, 20_000, "yielding", 1, null,
            new PrintStream(report, true, StandardCharsets.UTF_8));

        for (int p = 0; p < peers.length; p++)
        {
            for (final double median : medians[p])
            {
                // 400 messages a phase, each read by the other thread: a latency of 0 means nothing was recorded
                assertTrue(median > 0 && median < 1e9, peers[p] + " phase p50 out of range: " + median + " ns");
            }
        }
        final String text = report.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("paired ring latency at 20000 msg/s"), text);
        assertTrue(text.contains("paired p50 ratio: the peer's phase p50 over AGRONA's"), text);
        assertTrue(text.lines().anyMatch(line -> line.startsWith("HERZ ")), text);
    }

    @Test
    void twoProducersEachHaveTheirSequenceChecked() throws Exception
    {
        final RingBenchmark.Peer[] peers = {RingBenchmark.Peer.AGRONA, RingBenchmark.Peer.HERZ};
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final double[][] rates = PairedRingThroughput.run(peers, 2, 1, 20, 64 * 1024, 0, "backoff", 2, null,
            new PrintStream(report, true, StandardCharsets.UTF_8));

        for (int p = 0; p < peers.length; p++)
        {
            for (final double rate : rates[p])
            {
                assertTrue(rate > 0, peers[p] + " sent nothing in a phase: " + rate);
            }
        }
        assertTrue(report.toString(StandardCharsets.UTF_8).contains("2 producer(s)"), report.toString());
    }

    @Test
    void refusesTwoProducersOnASingleProducerRing()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PairedRingThroughput.main(new String[] {"--peers", "AGRONA,HERZ_EXCLUSIVE", "--producers", "2"}));
        assertTrue(ex.getMessage().contains("peer HERZ_EXCLUSIVE takes one producer only"), ex.getMessage());
    }

    @Test
    void refusesASinglePeer()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PairedRingThroughput.main(new String[] {"--peers", "HERZ"}));
        assertTrue(ex.getMessage().contains("at least two peers"), ex.getMessage());
    }
}
