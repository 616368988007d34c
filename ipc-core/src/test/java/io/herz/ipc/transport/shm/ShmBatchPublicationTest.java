package io.herz.ipc.transport.shm;

import io.herz.ipc.test.DeadProcess;
import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batching rules of {@link Publication} ("Batching") on the {@code shm:} transport
 * ({@code PublicationOptions.batchBytes}, {@link ShmBatchPublication}), one test per rule: nothing visible before the
 * batch is committed and everything after, a full batch committed by the next claim, a message larger than the batch
 * claimed alone, abort inside a batch, flush refused with a claim outstanding, close with an open batch, back-pressure,
 * offer, a lost batch counted, and bad batch sizes.
 */
@Timeout(30)
class ShmBatchPublicationTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final int TYPE = 7;
    /** 16 records of 8-byte payload (16 bytes each with the header). */
    private static final int BATCH = 256;

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Long> received = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    @Test
    void shouldShowNothingBeforeFlushAndEverythingAfter()
    {
        final Subscription subscription = subscription("flush.seg");
        final Publication publication = publication("flush.seg", BATCH);
        assertInstanceOf(ShmBatchPublication.class, publication);

        for (long i = 0; i < 10; i++)
        {
            assertTrue(publication.commit(claimAndWrite(publication, i)));
        }
        assertEquals(0, poll(subscription), "committed into the batch, not yet visible");

        publication.flush();

        assertEquals(10, poll(subscription));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), received);
        publication.flush(); // no open batch: nothing to do
        assertEquals(0, poll(subscription));
    }

    @Test
    void shouldCommitAFullBatchWhenTheNextMessageDoesNotFit()
    {
        final Subscription subscription = subscription("full.seg");
        final Publication publication = publication("full.seg", BATCH);
        for (long i = 0; i < BATCH / 16; i++)
        {
            assertTrue(publication.commit(claimAndWrite(publication, i)));
        }
        assertEquals(0, poll(subscription), "16 messages fill the batch exactly: still open");

        final int seventeenth = claimAndWrite(publication, 16);

        assertEquals(16, poll(subscription), "the claim that did not fit committed the full batch");
        assertTrue(publication.commit(seventeenth));
        assertEquals(0, poll(subscription), "the 17th is in the next batch");
        publication.flush();
        assertEquals(1, poll(subscription));
        assertEquals(16L, received.get(16));
    }

    @Test
    void shouldClaimAMessageLargerThanTheBatchAloneAfterTheOpenBatch()
    {
        final Subscription subscription = subscription("large.seg");
        final Publication publication = publication("large.seg", 64);
        assertTrue(publication.commit(claimAndWrite(publication, 1)));
        assertTrue(publication.commit(claimAndWrite(publication, 2)));

        final int large = publication.tryClaim(TYPE, 100);
        assertTrue(large >= 0);

        assertEquals(2, poll(subscription), "the open batch was committed before the large claim");
        publication.buffer().putLong(large, 3);
        assertEquals(0, poll(subscription), "claimed, not committed");
        assertTrue(publication.commit(large));
        assertEquals(1, poll(subscription), "a message claimed alone is delivered at its commit");
        assertTrue(publication.commit(claimAndWrite(publication, 4)));
        publication.flush();
        assertEquals(1, poll(subscription));
        assertEquals(List.of(1L, 2L, 3L, 4L), received);
    }

    @Test
    void shouldTakeAnAbortedMessageOutOfTheBatchAndReuseItsSpace()
    {
        final Subscription subscription = subscription("abort.seg");
        final Publication publication = publication("abort.seg", BATCH);
        final int first = claimAndWrite(publication, 100);
        publication.abort(first);
        final int second = claimAndWrite(publication, 1);
        assertEquals(first, second, "the aborted first message's space went back to the batch");
        assertTrue(publication.commit(second));
        final int third = claimAndWrite(publication, 200);
        publication.abort(third);
        assertTrue(publication.commit(claimAndWrite(publication, 2)));

        publication.flush();

        assertEquals(2, poll(subscription));
        assertEquals(List.of(1L, 2L), received);
    }

    @Test
    void shouldDeliverNothingWhenEveryMessageOfTheBatchWasAborted()
    {
        final Subscription subscription = subscription("all-aborted.seg");
        final Publication publication = publication("all-aborted.seg", BATCH);
        publication.abort(claimAndWrite(publication, 100));

        publication.flush();

        assertEquals(0, poll(subscription));
        assertTrue(publication.commit(claimAndWrite(publication, 1)));
        publication.flush();
        assertEquals(1, poll(subscription), "the batch that was all padding is skipped");
        assertEquals(List.of(1L), received);
    }

    @Test
    void shouldRefuseFlushAndASecondClaimWhileAClaimIsOutstanding()
    {
        subscription("outstanding.seg");
        final Publication publication = publication("outstanding.seg", BATCH);
        final int index = claimAndWrite(publication, 1);

        final IllegalStateException flush = assertThrows(IllegalStateException.class, publication::flush);
        final IllegalStateException claim = assertThrows(IllegalStateException.class,
            () -> publication.tryClaim(TYPE, 8));

        final String uri = "shm:" + dir.resolve("outstanding.seg");
        assertEquals("publication holds a claim: expected commit or abort of offset " + index + " before flush " +
            "stream=" + uri, flush.getMessage());
        assertEquals("publication already holds a claim: expected commit or abort of offset " + index + " stream=" +
            uri, claim.getMessage());
        assertTrue(publication.commit(index));
        assertEquals("no outstanding claim at offset " + index + ": expected none stream=" + uri,
            assertThrows(IllegalStateException.class, () -> publication.commit(index)).getMessage());
    }

    @Test
    void shouldDeliverCommittedMessagesAndDropTheOutstandingClaimOnClose()
    {
        final Subscription subscription = subscription("close.seg");
        final Publication publication = Transports.publication("shm:" + dir.resolve("close.seg"),
            new PublicationOptions().batchBytes(BATCH));
        assertTrue(publication.commit(claimAndWrite(publication, 1)));
        assertTrue(publication.commit(claimAndWrite(publication, 2)));
        claimAndWrite(publication, 3);

        publication.close();
        publication.close();

        assertEquals(2, poll(subscription));
        assertEquals(List.of(1L, 2L), received);
        assertEquals(Publication.CLOSED, publication.tryClaim(TYPE, 8));
        assertEquals(Publication.CLOSED, publication.offer(TYPE, new UnsafeBuffer(new byte[8]), 0, 8));
    }

    @Test
    void shouldCommitTheFullBatchAndAnswerBackPressuredWhenNoNewBatchFits()
    {
        final String name = "full-ring.seg";
        final Subscription subscription = Transports.subscription("shm:" + dir.resolve(name),
            new SubscriptionOptions().segmentConfig(new SegmentConfig().capacity(4096).maxRecordLength(512)));
        resources.add(subscription);
        final Publication publication = publication(name, 1024);
        int committed = 0;
        int result;
        while ((result = publication.tryClaim(TYPE, 8)) >= 0)
        {
            publication.buffer().putLong(result, committed);
            assertTrue(publication.commit(result));
            committed++;
        }

        assertEquals(Publication.BACK_PRESSURED, result);
        assertEquals(4096 / 16, committed, "four batches of 64 messages fill the ring");
        assertEquals(committed, poll(subscription), "the full batch was committed although no new one fits");
        assertTrue(publication.commit(claimAndWrite(publication, committed)));
        publication.flush();
        assertEquals(1, poll(subscription));
        assertEquals(committed, (long)received.get(committed));
    }

    @Test
    void shouldOfferUnderTheSameRules()
    {
        final Subscription subscription = subscription("offer.seg");
        final Publication publication = publication("offer.seg", BATCH);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[16]);
        source.putLong(8, 42);

        assertEquals(0, publication.offer(TYPE, source, 8, 8));
        assertEquals(0, poll(subscription));
        publication.flush();

        assertEquals(1, poll(subscription));
        assertEquals(List.of(42L), received);
    }

    @Test
    void shouldCountEveryMessageOfABatchWhoseClaimWasTakenAway() throws Exception
    {
        final Segment segment = track(Segment.create(dir.resolve("lost.seg"), new SegmentConfig().capacity(CAPACITY)));
        final CachedNanoClock clock = new CachedNanoClock();
        final RingConsumer consumer = track(new RingConsumer(segment, TimeUnit.SECONDS.toNanos(5), clock));
        final RingProducer producer = new RingProducer(segment, 1);
        final ShmBatchPublication publication = track(new ShmBatchPublication("lost", producer, BATCH));
        for (long i = 0; i < 3; i++)
        {
            assertTrue(publication.commit(claimAndWrite(publication, i)));
        }
        // the producer is taken for dead (a misjudged identity, or a death between the commits and the flush)
        final int slot = SegmentDescriptor.producerSlotOffset(producer.slotIndex());
        segment.buffer().putLongRelease(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, DeadProcess.token());
        for (long t = 0; t < TimeUnit.MILLISECONDS.toNanos(5); t += TimeUnit.MILLISECONDS.toNanos(1))
        {
            clock.update(t);
            consumer.read((type, buffer, offset, length) -> received.add(buffer.getLong(offset)));
        }
        assertEquals(1, consumer.unblockedRecords(), "the batch's claim was turned into padding");

        publication.flush();

        assertEquals(3, publication.lostRecords());
        assertEquals(1, producer.lostClaims(), "one lost claim: the batch");
        assertEquals(1, segment.buffer().getLongVolatile(slot + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET));
        consumer.read((type, buffer, offset, length) -> received.add(buffer.getLong(offset)));
        assertEquals(List.of(), received, "a lost batch is never delivered");
    }

    @Test
    void shouldRefuseBadBatchSizesNamingTheStream()
    {
        assertEquals("batch bytes: expected 0 (no batching) or more, found -1",
            assertThrows(IllegalArgumentException.class, () -> new PublicationOptions().batchBytes(-1)).getMessage());
        subscription("bad.seg");
        final String uri = "shm:" + dir.resolve("bad.seg");

        final IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
            () -> Transports.publication(uri, new PublicationOptions().batchBytes(7)));

        assertEquals("batch bytes out of range: expected 8.." + CAPACITY / 4 + " (a quarter of the ring's capacity), " +
            "found 7 stream=" + uri, tooSmall.getMessage());
        try (Segment segment = Segment.open(dir.resolve("bad.seg"), new SegmentConfig()))
        {
            final RingProducer producer = new RingProducer(segment);
            final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> new ShmBatchPublication("direct", producer, CAPACITY / 4 + 1));
            producer.close();

            assertEquals("batch bytes out of range: expected 8.." + CAPACITY / 4 + " (a quarter of the ring's " +
                "capacity), found " + (CAPACITY / 4 + 1) + " stream=direct", tooLarge.getMessage());
        }
        try (Publication again = Transports.publication(uri, new PublicationOptions().batchBytes(CAPACITY)))
        {
            assertEquals(CAPACITY / 4, ((ShmBatchPublication)again).batchBytes(),
                "through the options, a batch larger than the ring allows is a quarter of its capacity");
            assertTrue(again.commit(claimAndWrite(again, 5)), "the refused publication freed its producer slot");
        }
    }

    private Subscription subscription(final String name)
    {
        final Subscription subscription = Transports.subscription("shm:" + dir.resolve(name),
            new SubscriptionOptions().segmentConfig(new SegmentConfig().capacity(CAPACITY)));
        resources.add(subscription);
        return subscription;
    }

    private Publication publication(final String name, final int batchBytes)
    {
        final Publication publication = Transports.publication("shm:" + dir.resolve(name),
            new PublicationOptions().producerId(1).batchBytes(batchBytes));
        resources.add(publication);
        return publication;
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private static int claimAndWrite(final Publication publication, final long value)
    {
        final int index = publication.tryClaim(TYPE, 8);
        assertTrue(index >= 0, "claim refused: " + index);
        publication.buffer().putLong(index, value);
        return index;
    }

    private int poll(final Subscription subscription)
    {
        int total = 0;
        int read;
        do
        {
            read = subscription.poll((type, buffer, offset, length) ->
            {
                assertEquals(TYPE, type);
                received.add(buffer.getLong(offset));
            }, 1000);
            total += read;
        }
        while (read > 0);
        return total;
    }
}
