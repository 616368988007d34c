package io.herz.window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The windowing semantics written as plainly as possible, to check {@link WindowAggregator} against. It keeps
 * every accepted event and recomputes windows from them at every step: a window's members are the events assigned
 * to it (found by trying every candidate start), a key's sessions are the connected runs of its live events'
 * {@code [t, t + gap)} intervals. Every member carries a "reported" flag: a window is emitted when the watermark
 * has reached its end and it has an unreported member; it is an update when it also has a reported one. Sessions
 * whose end plus the allowed lateness the watermark has reached are frozen: their events no longer merge with
 * anything. Allocates freely; quadratic; only for tests.
 */
final class ReferenceWindowing
{
    private static final class Producer
    {
        Long maxEventTimeNs;
        long lastActiveNs;
        boolean finished;
    }

    private static final class Member
    {
        final long eventTimeNs;
        final double value;
        boolean reported;

        Member(final long eventTimeNs, final double value)
        {
            this.eventTimeNs = eventTimeNs;
            this.value = value;
        }
    }

    private record Window(String key, long startNs, long endNs)
    {
    }

    private final WindowSpec spec;
    private final long outOfOrdernessNs;
    private final long allowedLatenessNs;
    private final long idleTimeoutNs;
    private final int producerCount;
    private final Map<Integer, Producer> producers = new LinkedHashMap<>();
    private final Map<Window, List<Member>> windows = new LinkedHashMap<>();
    private final Map<String, List<Member>> liveSessionEvents = new TreeMap<>();
    final List<LateEvent> lateEvents = new ArrayList<>();
    long watermarkNs = Long.MIN_VALUE;
    Long firstCallNs;
    long lateEventCount;
    long lateWindowDropCount;
    boolean ended;

    ReferenceWindowing(
        final WindowSpec spec,
        final long outOfOrdernessNs,
        final long allowedLatenessNs,
        final long idleTimeoutNs,
        final int producerCount)
    {
        this.spec = spec;
        this.outOfOrdernessNs = outOfOrdernessNs;
        this.allowedLatenessNs = allowedLatenessNs;
        this.idleTimeoutNs = idleTimeoutNs;
        this.producerCount = producerCount;
    }

    List<WindowResult> onEvent(
        final int producerId, final long eventTimeNs, final String key, final double value, final long nowNs)
    {
        start(nowNs);
        if (ended)
        {
            return List.of();
        }
        final Producer producer = producer(producerId);
        producer.lastActiveNs = nowNs;

        final int droppedCount = spec.kind() == WindowKind.SESSION ?
            assignToSession(key, eventTimeNs, value) : assignToWindows(key, eventTimeNs, value);
        if (droppedCount > 0)
        {
            lateEventCount++;
            lateWindowDropCount += droppedCount;
            lateEvents.add(new LateEvent(producerId, eventTimeNs, key, value, droppedCount));
        }

        if (null == producer.maxEventTimeNs || eventTimeNs > producer.maxEventTimeNs)
        {
            producer.maxEventTimeNs = eventTimeNs;
        }
        recomputeWatermark(nowNs);

        return emitAndFreeze();
    }

    List<WindowResult> onEndOfStream(final int producerId, final long nowNs)
    {
        start(nowNs);
        if (ended)
        {
            return List.of();
        }
        final Producer producer = producer(producerId);
        producer.lastActiveNs = nowNs;
        producer.finished = true;

        final long finishedCount = producers.values().stream().filter((p) -> p.finished).count();
        final boolean complete = producerCount > 0 ? finishedCount >= producerCount : finishedCount == producers.size();
        if (complete)
        {
            watermarkNs = Long.MAX_VALUE;
            final List<WindowResult> results = emitAndFreeze();
            ended = true;
            return results;
        }
        recomputeWatermark(nowNs);

        return emitAndFreeze();
    }

    List<WindowResult> poll(final long nowNs)
    {
        start(nowNs);
        if (ended)
        {
            return List.of();
        }
        recomputeWatermark(nowNs);

        return emitAndFreeze();
    }

    private void start(final long nowNs)
    {
        if (null == firstCallNs)
        {
            firstCallNs = nowNs;
        }
    }

    private Producer producer(final int producerId)
    {
        return producers.computeIfAbsent(producerId, (id) -> new Producer());
    }

    private void recomputeWatermark(final long nowNs)
    {
        Long minNs = null;
        final boolean unseenHoldBack = producers.size() < producerCount && nowNs - firstCallNs <= idleTimeoutNs;
        if (unseenHoldBack)
        {
            minNs = Long.MIN_VALUE;
        }
        for (final Producer producer : producers.values())
        {
            final boolean idle = nowNs - producer.lastActiveNs > idleTimeoutNs;
            if (!producer.finished && !idle)
            {
                final long producerWatermarkNs = null == producer.maxEventTimeNs ?
                    Long.MIN_VALUE : producer.maxEventTimeNs - outOfOrdernessNs;
                minNs = null == minNs ? producerWatermarkNs : Math.min(minNs, producerWatermarkNs);
            }
        }
        if (null != minNs && minNs > watermarkNs)
        {
            watermarkNs = minNs;
        }
    }

    private int assignToWindows(final String key, final long eventTimeNs, final double value)
    {
        final long sizeNs = spec.sizeNs();
        final long slideNs = spec.slideNs();
        int droppedCount = 0;
        for (long startNs = Math.floorDiv(eventTimeNs - sizeNs, slideNs) * slideNs; startNs <= eventTimeNs;
            startNs += slideNs)
        {
            if (startNs <= eventTimeNs && eventTimeNs < startNs + sizeNs)
            {
                final long endNs = startNs + sizeNs;
                if (watermarkNs >= endNs + allowedLatenessNs)
                {
                    droppedCount++;
                }
                else
                {
                    windows.computeIfAbsent(new Window(key, startNs, endNs), (w) -> new ArrayList<>())
                        .add(new Member(eventTimeNs, value));
                }
            }
        }

        return droppedCount;
    }

    private int assignToSession(final String key, final long eventTimeNs, final double value)
    {
        final List<Member> live = new ArrayList<>(liveSessionEvents.getOrDefault(key, List.of()));
        final Member member = new Member(eventTimeNs, value);
        live.add(member);
        for (final List<Member> session : sessionsOf(live))
        {
            if (session.contains(member) && watermarkNs >= sessionEnd(session) + allowedLatenessNs)
            {
                return 1;
            }
        }
        liveSessionEvents.put(key, live);

        return 0;
    }

    private List<List<Member>> sessionsOf(final List<Member> events)
    {
        final List<Member> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong((Member m) -> m.eventTimeNs));
        final List<List<Member>> sessions = new ArrayList<>();
        List<Member> current = null;
        long currentEndNs = 0;
        for (final Member member : sorted)
        {
            if (null == current || member.eventTimeNs > currentEndNs)
            {
                current = new ArrayList<>();
                sessions.add(current);
                currentEndNs = member.eventTimeNs + spec.gapNs();
            }
            current.add(member);
            currentEndNs = Math.max(currentEndNs, member.eventTimeNs + spec.gapNs());
        }

        return sessions;
    }

    private long sessionEnd(final List<Member> session)
    {
        return session.stream().mapToLong((m) -> m.eventTimeNs).max().orElseThrow() + spec.gapNs();
    }

    private List<WindowResult> emitAndFreeze()
    {
        final List<WindowResult> results = new ArrayList<>();
        if (spec.kind() == WindowKind.SESSION)
        {
            for (final Map.Entry<String, List<Member>> entry : liveSessionEvents.entrySet())
            {
                final List<Member> stillLive = new ArrayList<>();
                for (final List<Member> session : sessionsOf(entry.getValue()))
                {
                    final long startNs = session.stream().mapToLong((m) -> m.eventTimeNs).min().orElseThrow();
                    final long endNs = sessionEnd(session);
                    emitIfDue(entry.getKey(), startNs, endNs, session, results);
                    if (watermarkNs < endNs + allowedLatenessNs)
                    {
                        stillLive.addAll(session);
                    }
                }
                entry.setValue(stillLive);
            }
        }
        else
        {
            for (final Map.Entry<Window, List<Member>> entry : windows.entrySet())
            {
                final Window window = entry.getKey();
                emitIfDue(window.key(), window.startNs(), window.endNs(), entry.getValue(), results);
            }
        }

        return results;
    }

    private void emitIfDue(
        final String key,
        final long startNs,
        final long endNs,
        final List<Member> members,
        final List<WindowResult> results)
    {
        final boolean anyUnreported = members.stream().anyMatch((m) -> !m.reported);
        if (watermarkNs >= endNs && anyUnreported)
        {
            final boolean anyReported = members.stream().anyMatch((m) -> m.reported);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (final Member member : members)
            {
                sum += member.value;
                min = Math.min(min, member.value);
                max = Math.max(max, member.value);
                member.reported = true;
            }
            results.add(new WindowResult(
                startNs, endNs, key, members.size(), sum, min, max, sum / members.size(), anyReported));
        }
    }
}
