package io.herz.ipc.fault;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.status.SegmentStatus;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.herz.ipc.fault.CampaignRecords.*;

/**
 * The fault campaign: {@code consumers} consumer JVMs (each its own consumer name, so each reads every record: ring
 * v2 fan-out) and {@code producers} producer JVMs on a small ring, and a seeded random sequence of faults with real
 * signals; a consumer kill picks one of the consumers, which is restarted under its name. Then each consumer's
 * delivery logs are checked, on their own, against every producer ledger, per producer id: delivered sequences
 * exactly 0..k in order, no gap, no corruption, k + 1 at least what the producer recorded as committed;
 * redeliveries only right after a kill of that consumer and at most one batch; the stall left by a
 * producer killed inside a claim cleared within {@link #MAX_STALL_MS}; no claim of a live producer unblocked (its
 * commit would fail: every producer records failed commits, checked after each stop and at the end). Uses only the public ring API (through {@link CampaignProducerMain} and {@link CampaignConsumerMain}),
 * so it runs unchanged against any ring layout.
 * <p>
 * Long run: {@code java -cp <test class path> io.herz.ipc.fault.FaultCampaign --faults 5000} (or
 * {@code --minutes 60}, {@code --seed N}); see README, "Safety testing".
 */
public final class FaultCampaign
{
    /** Longest acceptable time from the kill of a producer inside a claim until its record is unblocked. */
    static final long MAX_STALL_MS = 1_000;

    /** The kinds of fault. */
    enum Fault
    {
        KILL_PRODUCER, KILL_PRODUCER_IN_CLAIM, STOP_PRODUCER, KILL_CONSUMER_IN_BATCH, BACK_PRESSURE_STORM
    }

    /** What a campaign did and found; {@link #problems} empty means every check passed. */
    static final class Report
    {
        final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        final List<String> problems = new ArrayList<>();
        long seed;
        long delivered;
        long redelivered;
        long lost;
        long corrupt;
        long committed;
        long unblocked;
        long longestStallMs;
        long stallsMeasured;
        boolean exclusive;
        long takeoversMeasured;
        long longestTakeoverMs;
        int producersStarted;
        int consumerIncarnations;
        final Map<String, long[]> byConsumer = new java.util.LinkedHashMap<>(); // delivered, redelivered, kills
        long maxRedeliveryPerRestart;
        double seconds;

        public String toString()
        {
            final StringBuilder consumers = new StringBuilder();
            for (final Map.Entry<String, long[]> entry : byConsumer.entrySet())
            {
                consumers.append(consumers.length() == 0 ? "" : ", ").append(entry.getKey())
                    .append(String.format(": delivered %,d, redelivered %d, killed %d",
                    entry.getValue()[0], entry.getValue()[1], entry.getValue()[2]));
            }
            return String.format("fault campaign seed %d%s: %.1f s, faults %s (total %d); producers started %d, " +
                    "consumer incarnations %d (%s); records committed (ledgers) %,d, delivered (all consumers) %,d, " +
                    "redelivered %,d " +
                    "(most after one consumer kill: %d), lost %d, corrupt %d; unblocked records %d (dead producers); " +
                    "stalls after a kill inside a claim: %d measured, longest %d ms; %sproblems: %s",
                seed, exclusive ? " (one exclusive producer at a time)" : "", seconds, faults, faults.values().stream().mapToInt(Integer::intValue).sum(), producersStarted,
                consumerIncarnations, consumers, committed, delivered, redelivered, maxRedeliveryPerRestart, lost, corrupt,
                unblocked, stallsMeasured, longestStallMs, exclusive ? String.format("replacements after a kill inside " +
                "a claim registered (claim resolved): %d measured, longest %d ms; ", takeoversMeasured,
                longestTakeoverMs) : "", problems.isEmpty() ? "none" : problems);
        }
    }

    private final Path dir;
    private final long seed;
    private final int faultCount;
    private final long deadlineNs;
    private final int producerCount;
    private final boolean exclusive;
    private final int batchLimit;
    private final long producerPaceNs;
    private final long maxStopMs;
    private final SplittableRandom random;
    private final Report report = new Report();

    private final Path segmentPath;
    private final List<ChildJvm> children = new ArrayList<>();
    private final Map<Integer, ChildJvm> producers = new HashMap<>();
    private final Map<Integer, LongFile> ledgers = new HashMap<>();
    private final List<ConsumerRole> consumers = new ArrayList<>();
    private LongFile control;
    private int nextProducerId;

    /** One consumer name: its incarnations (a kill and restart starts a new one), their states and logs. */
    private static final class ConsumerRole
    {
        final String name;
        final List<LongFile> states = new ArrayList<>();
        final List<Boolean> afterKill = new ArrayList<>();
        ChildJvm child;
        long kills;

        ConsumerRole(final String name)
        {
            this.name = name;
        }

        LongFile state()
        {
            return states.get(states.size() - 1);
        }

        Path log(final Path dir, final int incarnation)
        {
            return dir.resolve("log-" + name + "-" + incarnation);
        }
    }

    /**
     * @param dir           a fresh directory for the ring and the accounting files (ideally on tmpfs).
     * @param seed          seed of the fault sequence.
     * @param faultCount    faults to inject (the campaign ends when this many are done or at the deadline).
     * @param maxMinutes    deadline in minutes, 0 for none.
     * @param producerCount producer JVMs alive at any time.
     * @param consumerCount consumer JVMs (consumer names) alive at any time, 1 or more.
     * @param maxStopMs     longest SIGSTOP of a producer (at least 200 ms).
     */
    FaultCampaign(final Path dir, final long seed, final int faultCount, final double maxMinutes,
        final int producerCount, final int consumerCount, final long maxStopMs)
    {
        this(dir, seed, faultCount, maxMinutes, producerCount, consumerCount, maxStopMs, false);
    }

    /**
     * @param exclusive true: one exclusive producer JVM at a time ({@code producerCount} must be 1), each replaced
     *                  after its kill; the replacement resolves the dead producer's claim (F29) when it registers.
     */
    FaultCampaign(final Path dir, final long seed, final int faultCount, final double maxMinutes,
        final int producerCount, final int consumerCount, final long maxStopMs, final boolean exclusive)
    {
        if (consumerCount < 1 || consumerCount > 8)
        {
            throw new IllegalArgumentException("consumers must be 1..8: found " + consumerCount);
        }
        if (exclusive && producerCount != 1)
        {
            throw new IllegalArgumentException("an exclusive campaign has one producer at a time: found " +
                producerCount);
        }
        this.exclusive = exclusive;
        report.exclusive = exclusive;
        for (int i = 0; i < consumerCount; i++)
        {
            consumers.add(new ConsumerRole(i == 0 ? "default" : "consumer" + i));
        }
        this.dir = dir;
        this.seed = seed;
        this.faultCount = faultCount;
        this.deadlineNs = maxMinutes <= 0 ? Long.MAX_VALUE :
            System.nanoTime() + (long)(maxMinutes * 60e9);
        this.producerCount = producerCount;
        this.batchLimit = 32;
        this.producerPaceNs = 500_000;
        this.maxStopMs = Math.max(200, maxStopMs);
        this.random = new SplittableRandom(seed);
        this.segmentPath = dir.resolve("campaign.seg");
        report.seed = seed;
    }

    Report run() throws Exception
    {
        final long startNs = System.nanoTime();
        try
        {
            Files.createDirectories(dir);
            try (Segment segment = Segment.create(segmentPath, new SegmentConfig()
                .capacity(16 * 1024).producerSlotCount(producerCount * 2).counterCount(4)))
            {
                // created: the children open it; this process only monitors it read-only
                segment.capacity();
            }
            control = LongFile.map(dir.resolve("control"), CONTROL_LENGTH);
            for (final ConsumerRole role : consumers)
            {
                startConsumer(role, false);
            }
            for (int i = 0; i < producerCount; i++)
            {
                startProducer();
            }
            for (final int id : new ArrayList<>(producers.keySet()))
            {
                awaitValue(() -> ledgers.get(id).get(LEDGER_READY), 1, 30_000, "producer " + id + " ready");
            }
            for (int done = 0; done < faultCount && System.nanoTime() - deadlineNs < 0; done++)
            {
                checkConsumerAlive();
                final Fault fault = pick();
                inject(fault);
                report.faults.merge(fault, 1, Integer::sum);
                Thread.sleep(20 + random.nextInt(130));
            }
            finish();
            analyse();
        }
        finally
        {
            for (final ChildJvm child : children)
            {
                child.destroyForcibly();
            }
            report.seconds = (System.nanoTime() - startNs) / 1e9;
        }
        return report;
    }

    private Fault pick()
    {
        final int roll = random.nextInt(100);
        if (roll < 25)
        {
            return Fault.KILL_PRODUCER;
        }
        if (roll < 50)
        {
            return Fault.KILL_PRODUCER_IN_CLAIM;
        }
        if (roll < 70)
        {
            return Fault.STOP_PRODUCER;
        }
        if (roll < 85)
        {
            return Fault.KILL_CONSUMER_IN_BATCH;
        }
        return Fault.BACK_PRESSURE_STORM;
    }

    private void inject(final Fault fault) throws Exception
    {
        switch (fault)
        {
            case KILL_PRODUCER -> killProducer(false);
            case KILL_PRODUCER_IN_CLAIM -> killProducer(true);
            case STOP_PRODUCER -> stopProducer();
            case KILL_CONSUMER_IN_BATCH -> killConsumer();
            case BACK_PRESSURE_STORM -> storm();
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    private int victim() throws InterruptedException
    {
        // Replacements may still be starting: wait (bounded) until one producer is registered on the ring.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final List<Integer> ids = new ArrayList<>();
        while (true)
        {
            for (final Map.Entry<Integer, ChildJvm> entry : producers.entrySet())
            {
                if (entry.getValue().process().isAlive() && ledgers.get(entry.getKey()).get(LEDGER_READY) == 1)
                {
                    ids.add(entry.getKey());
                }
            }
            if (!ids.isEmpty())
            {
                break;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("no live producer registered within 60 s to inject a fault into");
            }
            Thread.sleep(5);
        }
        ids.sort(Integer::compare);
        return ids.get(random.nextInt(ids.size()));
    }

    /** Records unblocked so far (the ring-wide count), as the consumers last saw it. */
    private long unblockedSeen()
    {
        long seen = 0;
        for (final ConsumerRole role : consumers)
        {
            seen = Math.max(seen, role.state().get(CONSUMER_UNBLOCKED));
        }
        return seen;
    }

    /** When the first consumer saw the unblocked count pass {@code before}, or 0 if none has yet. */
    private long firstUnblockSeenNs(final long before)
    {
        long first = 0;
        for (final ConsumerRole role : consumers)
        {
            final LongFile state = role.state();
            if (state.get(CONSUMER_UNBLOCKED) > before)
            {
                final long ns = state.get(CONSUMER_LAST_UNBLOCK_NS);
                first = first == 0 ? ns : Math.min(first, ns);
            }
        }
        return first;
    }

    private void killProducer(final boolean insideClaim) throws Exception
    {
        final int id = victim();
        final ChildJvm child = producers.get(id);
        final LongFile ledger = ledgers.get(id);
        long stallStartNs = 0;
        long unblockedBefore = 0;
        if (insideClaim)
        {
            ledger.set(LEDGER_REQUEST_HOLD, 1);
            awaitNonZero(() -> ledger.get(LEDGER_HOLDING), 10_000, "producer " + id + " holding a claim");
            unblockedBefore = unblockedSeen();
        }
        else
        {
            Thread.sleep(random.nextInt(50));
        }
        child.signal("KILL");
        stallStartNs = System.nanoTime();
        child.process().waitFor(10, TimeUnit.SECONDS);
        producers.remove(id);
        final int replacement = startProducer();
        if (exclusive)
        {
            // Nothing of an exclusive producer's claim is ever visible, so nothing is unblocked: its replacement
            // resolves the claim when it registers (zeroed, or rolled forward past a commit whose gate landed).
            final LongFile ready = ledgers.get(replacement);
            awaitValue(() -> ready.get(LEDGER_READY), 1, 15_000, "exclusive producer " + replacement +
                " registered after the kill of " + id);
            if (insideClaim)
            {
                report.takeoversMeasured++;
                report.longestTakeoverMs = Math.max(report.longestTakeoverMs,
                    (System.nanoTime() - stallStartNs) / 1_000_000);
            }
            return;
        }
        if (insideClaim)
        {
            final long before = unblockedBefore;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (firstUnblockSeenNs(before) == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            final long seenNs = firstUnblockSeenNs(before);
            if (seenNs == 0)
            {
                report.problems.add("stall left by producer " + id + " (killed inside a claim) not cleared in 15 s");
                return;
            }
            final long stallMs = (seenNs - stallStartNs) / 1_000_000;
            report.stallsMeasured++;
            report.longestStallMs = Math.max(report.longestStallMs, stallMs);
            if (stallMs > MAX_STALL_MS)
            {
                report.problems.add("stall left by producer " + id + " cleared after " + stallMs + " ms, expected " +
                    "at most " + MAX_STALL_MS);
            }
        }
    }

    private void stopProducer() throws Exception
    {
        final int id = victim();
        final ChildJvm child = producers.get(id);
        final long stopMs = 200 + random.nextLong(maxStopMs - 199);
        final LongFile ledger = ledgers.get(id);
        final long lostBefore = ledger.get(LEDGER_LOST);
        child.signal("STOP");
        Thread.sleep(stopMs);
        child.signal("CONT");
        // A claim of the stopped producer that was unblocked makes its commit fail once it runs again (F7), and it
        // records that (LEDGER_LOST). The ring-wide unblocked count is no measure: a replacement registering
        // meanwhile may pad a dead producer's claim (F27), which is right.
        final long committedAtCont = ledger.get(LEDGER_COMMITTED);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (ledger.get(LEDGER_COMMITTED) == committedAtCont && ledger.get(LEDGER_LOST) == lostBefore &&
            child.process().isAlive() && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        final long lost = ledger.get(LEDGER_LOST) - lostBefore;
        if (lost != 0)
        {
            report.problems.add(lost + " claim(s) of producer " + id + " unblocked while it was stopped for " +
                stopMs + " ms (a live producer must never be unblocked)");
        }
    }

    private void killConsumer() throws Exception
    {
        final ConsumerRole role = consumers.get(random.nextInt(consumers.size()));
        final LongFile state = role.state();
        state.set(CONSUMER_REQUEST_PAUSE, 1);
        awaitNonZero(() -> state.get(CONSUMER_IN_BATCH), 10_000, "consumer " + role.name + " pausing inside a batch");
        role.child.signal("KILL");
        role.child.process().waitFor(10, TimeUnit.SECONDS);
        role.kills++;
        startConsumer(role, true);
    }

    private void storm() throws Exception
    {
        final Map<Integer, Long> before = new HashMap<>();
        for (final Map.Entry<Integer, ChildJvm> entry : producers.entrySet())
        {
            if (entry.getValue().process().isAlive() && ledgers.get(entry.getKey()).get(LEDGER_READY) == 1)
            {
                before.put(entry.getKey(), ledgers.get(entry.getKey()).get(LEDGER_BACK_PRESSURED));
            }
        }
        final ConsumerRole stopped = consumers.get(random.nextInt(consumers.size()));
        stopped.child.signal("STOP");
        try
        {
            for (final Map.Entry<Integer, Long> entry : before.entrySet())
            {
                final LongFile ledger = ledgers.get(entry.getKey());
                final long was = entry.getValue();
                awaitValue(() -> ledger.get(LEDGER_BACK_PRESSURED) > was ? 1 : 0, 1, 10_000,
                    "producer " + entry.getKey() + " back-pressured while the consumer is stopped");
            }
        }
        finally
        {
            stopped.child.signal("CONT");
        }
    }

    private int startProducer() throws IOException
    {
        final int id = nextProducerId++;
        final Path ledgerPath = dir.resolve("ledger-" + id);
        ledgers.put(id, LongFile.map(ledgerPath, LEDGER_LENGTH));
        final ChildJvm child = ChildJvm.start("campaign-producer-" + id, CampaignProducerMain.class,
            segmentPath.toString(), Integer.toString(id), ledgerPath.toString(), dir.resolve("control").toString(),
            Long.toString(producerPaceNs), exclusive ? CampaignProducerMain.EXCLUSIVE : CampaignProducerMain.SHARED);
        children.add(child);
        producers.put(id, child);
        report.producersStarted++;
        return id;
    }

    private void startConsumer(final ConsumerRole role, final boolean afterKill) throws Exception
    {
        final int incarnation = role.states.size();
        final Path statePath = dir.resolve("consumer-state-" + role.name + "-" + incarnation);
        final LongFile state = LongFile.map(statePath, CONSUMER_LENGTH);
        role.states.add(state);
        role.afterKill.add(afterKill);
        role.child = ChildJvm.start("campaign-consumer-" + role.name + "-" + incarnation, CampaignConsumerMain.class,
            segmentPath.toString(), statePath.toString(), role.log(dir, incarnation).toString(),
            dir.resolve("control").toString(), Integer.toString(batchLimit), role.name);
        children.add(role.child);
        report.consumerIncarnations++;
        awaitValue(() -> state.get(CONSUMER_READY), 1, 30_000, "consumer " + role.name + " " + incarnation + " ready");
    }

    private void checkConsumerAlive()
    {
        for (final ConsumerRole role : consumers)
        {
            if (!role.child.process().isAlive())
            {
                throw new IllegalStateException("consumer " + role.name + " died on its own: " + role.child + "\n" +
                    role.child.logTail());
            }
        }
    }

    private void finish() throws Exception
    {
        control.set(CONTROL_STOP_PRODUCERS, 1);
        for (final Map.Entry<Integer, ChildJvm> entry : producers.entrySet())
        {
            final int code = entry.getValue().waitFor(20_000);
            if (code != 0)
            {
                report.problems.add("producer " + entry.getKey() + " exited with " + code + ": " +
                    entry.getValue().logTail());
            }
        }
        // Drained: the ring stays empty (head == tail) for a while.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int emptyPolls = 0;
        while (emptyPolls < 20 && System.nanoTime() - deadline < 0)
        {
            emptyPolls = SegmentStatus.read(segmentPath).lagBytes() == 0 ? emptyPolls + 1 : 0;
            Thread.sleep(10);
        }
        if (emptyPolls < 20)
        {
            report.problems.add("ring not drained 30 s after the producers stopped: " +
                SegmentStatus.read(segmentPath).lagBytes() + " bytes left");
        }
        control.set(CONTROL_STOP_CONSUMER, 1);
        for (final ConsumerRole role : consumers)
        {
            final int code = role.child.waitFor(20_000);
            if (code != 0)
            {
                report.problems.add("consumer " + role.name + " exited with " + code + ": " + role.child.logTail());
            }
        }
        report.unblocked = SegmentStatus.read(segmentPath).unblockedRecords();
        if (exclusive && report.unblocked != 0)
        {
            report.problems.add(report.unblocked + " records unblocked on a ring with one exclusive producer at a " +
                "time: expected none (its claims are never visible before their gate)");
        }
    }

    private void analyse() throws IOException
    {
        for (final Map.Entry<Integer, LongFile> entry : ledgers.entrySet())
        {
            report.committed += entry.getValue().get(LEDGER_COMMITTED);
            final long lost = entry.getValue().get(LEDGER_LOST);
            if (lost != 0)
            {
                problem("producer " + entry.getKey() + " had " + lost + " claim(s) unblocked while it lived (its " +
                    "commit failed): a live producer must never be unblocked");
            }
        }
        for (final ConsumerRole role : consumers)
        {
            analyse(role);
        }
        if (report.corrupt > 0)
        {
            problem(report.corrupt + " corrupt records delivered");
        }
        for (final LongFile ledger : ledgers.values())
        {
            ledger.close();
        }
        for (final ConsumerRole role : consumers)
        {
            for (final LongFile state : role.states)
            {
                state.close();
            }
        }
        control.close();
    }

    /** One consumer name's logs, on their own: every producer's sequence exactly once, in order, whole. */
    private void analyse(final ConsumerRole role) throws IOException
    {
        final String who = "consumer " + role.name;
        final Map<Integer, Long> next = new HashMap<>();
        long delivered = 0;
        long redelivered = 0;
        for (int incarnation = 0; incarnation < role.states.size(); incarnation++)
        {
            final long entries = role.states.get(incarnation).get(CONSUMER_DELIVERED);
            report.corrupt += role.states.get(incarnation).get(CONSUMER_CORRUPT);
            final Map<Integer, Long> maxSeenHere = new HashMap<>();
            long redeliveredHere = 0;
            try (LongFile log = LongFile.map(role.log(dir, incarnation), LOG_LENGTH))
            {
                final UnsafeBuffer buffer = log.buffer();
                for (long i = 0; i < entries; i++)
                {
                    final int entry = LOG_HEADER + (int)(i * LOG_ENTRY);
                    final int id = buffer.getInt(entry);
                    final long seq = buffer.getLong(entry + 8);
                    if (id < 0)
                    {
                        continue; // counted as corrupt above
                    }
                    final long expected = next.getOrDefault(id, 0L);
                    final Long maxHere = maxSeenHere.get(id);
                    if (maxHere != null && seq <= maxHere)
                    {
                        problem(who + " " + incarnation + " delivered producer " + id + " seq " + seq +
                            " again or out of order after seq " + maxHere);
                    }
                    else if (seq < expected)
                    {
                        redeliveredHere++;
                    }
                    else if (seq > expected)
                    {
                        problem("producer " + id + ": gap, delivered seq " + seq + " after " + (expected - 1) +
                            " (" + who + " " + incarnation + ")");
                        next.put(id, seq + 1);
                    }
                    else
                    {
                        next.put(id, seq + 1);
                        delivered++;
                    }
                    maxSeenHere.merge(id, seq, Math::max);
                }
            }
            redelivered += redeliveredHere;
            report.maxRedeliveryPerRestart = Math.max(report.maxRedeliveryPerRestart, redeliveredHere);
            if (redeliveredHere > 0 && !role.afterKill.get(incarnation))
            {
                problem(who + " " + incarnation + " redelivered " + redeliveredHere + " records without a kill of " +
                    "that consumer");
            }
            if (redeliveredHere > batchLimit)
            {
                problem(who + " " + incarnation + " redelivered " + redeliveredHere + " records, expected at most " +
                    "one batch (" + batchLimit + ")");
            }
        }
        for (final Map.Entry<Integer, LongFile> entry : ledgers.entrySet())
        {
            final long committed = entry.getValue().get(LEDGER_COMMITTED);
            final long deliveredOfProducer = next.getOrDefault(entry.getKey(), 0L);
            if (deliveredOfProducer < committed)
            {
                report.lost += committed - deliveredOfProducer;
                problem("producer " + entry.getKey() + ": committed " + committed + " records, " + who +
                    " delivered " + deliveredOfProducer);
            }
        }
        report.delivered += delivered;
        report.redelivered += redelivered;
        report.byConsumer.put(role.name, new long[]{ delivered, redelivered, role.kills });
    }

    private void problem(final String problem)
    {
        if (report.problems.size() < 20)
        {
            report.problems.add(problem);
        }
    }

    private static void awaitValue(final LongSupplier value, final long expected, final long timeoutMs,
        final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (value.getAsLong() != expected)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    private static void awaitNonZero(final LongSupplier value, final long timeoutMs, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (value.getAsLong() == 0)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /**
     * Long runs: {@code --faults N} (default 5000), {@code --minutes M} (deadline, default none), {@code --seed S},
     * {@code --producers P} (default 4), {@code --consumers C} (default 2), {@code --max-stop-ms T} (default 3000), {@code --dir D},
     * {@code --exclusive} (one exclusive producer at a time, replaced after each kill).
     *
     * @param args the options.
     */
    public static void main(final String[] args) throws Exception
    {
        int faults = 5000;
        double minutes = 0;
        long seed = System.nanoTime();
        int producerCount = 4;
        int consumerCount = 2;
        long maxStopMs = 3000;
        boolean exclusive = false;
        Path dir = Path.of("/dev/shm", "herz-test-campaign-" + ProcessHandle.current().pid());
        for (int i = 0; i < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--faults" -> faults = Integer.parseInt(args[i + 1]);
                case "--minutes" ->
                {
                    minutes = Double.parseDouble(args[i + 1]);
                    faults = Integer.MAX_VALUE;
                }
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--producers" -> producerCount = Integer.parseInt(args[i + 1]);
                case "--consumers" -> consumerCount = Integer.parseInt(args[i + 1]);
                case "--max-stop-ms" -> maxStopMs = Long.parseLong(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--exclusive" ->
                {
                    exclusive = true;
                    producerCount = 1;
                    i--; // a flag without a value
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + ": expected --faults, " +
                    "--minutes, --seed, --producers, --consumers, --max-stop-ms, --dir or --exclusive");
            }
        }
        final Report report;
        try
        {
            report = new FaultCampaign(dir, seed, faults, minutes, producerCount, consumerCount, maxStopMs, exclusive)
                .run();
        }
        finally
        {
            deleteTree(dir);
        }
        System.out.println(report);
        System.exit(report.problems.isEmpty() ? 0 : 1);
    }

    static void deleteTree(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
