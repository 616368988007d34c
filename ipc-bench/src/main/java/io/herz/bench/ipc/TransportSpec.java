package io.herz.bench.ipc;

import io.herz.ipc.transport.TransportUri;
import io.herz.ipc.transport.Transports;

import java.nio.file.Path;
import java.util.List;

/**
 * One transport row of the benchmark, as data: a URI template resolved through {@link Transports} in every child
 * JVM, how many consumer JVMs read it (each under its own consumer name), whether its publication is exclusive
 * (one producer, {@code PublicationOptions.exclusive(true)}), how many producer processes it takes, and the extra JVM
 * flags its children need. A new mode (Herz's exclusive producer, two consumers, Aeron) is a new row of
 * {@link #catalog()}, nothing else.
 *
 * @param name         short name, used on the command line ({@code --transports}), in file names and the report.
 * @param label        what the report shows.
 * @param uriTemplate  the stream's URI; {@code ${dir}} is the scenario's directory, {@code ${port}} a free UDP port.
 * @param consumers    consumer processes, each checking every message.
 * @param exclusive    true when the publication is declared the stream's only producer.
 * @param maxProducers most producer processes this transport takes (1 for single-producer rings).
 * @param jvmFlags     extra flags of every child JVM of this row.
 * @param aeronDriver  true when the row's JVMs share an Aeron media driver that the runner starts
 *                     ({@link AeronDriverMain}) for each scenario.
 * @param note         one line for the report: what the row is and where it differs from the others.
 * @param batchBytes   0, or the bytes a Herz publication claims at once for several messages
 *                     ({@code PublicationOptions.batchBytes}): messages are committed when the batch is full or the
 *                     producer flushes (before it goes idle, and at the end).
 */
record TransportSpec(
    String name, String label, String uriTemplate, int consumers, boolean exclusive, int maxProducers,
    List<String> jvmFlags, boolean aeronDriver, String note, int batchBytes)
{
    /** Bytes per claim of the batched Herz row: 4 KiB, 56 messages of 64 bytes. */
    static final int BATCH_BYTES = 4096;

    TransportSpec(
        final String name, final String label, final String uriTemplate, final int consumers, final boolean exclusive,
        final int maxProducers, final List<String> jvmFlags, final boolean aeronDriver, final String note)
    {
        this(name, label, uriTemplate, consumers, exclusive, maxProducers, jvmFlags, aeronDriver, note, 0);
    }

    /** The name of the reference row: ratios are to this one. */
    static final String REFERENCE = "herz";

    /**
     * @return every row the harness knows, Herz first.
     */
    static List<TransportSpec> catalog()
    {
        return List.of(
            new TransportSpec(REFERENCE, "Herz ring (shm:)", "shm:${dir}/herz.seg", 1, false, 16, List.of(),
                false, "Herz MPSC ring in a mapped segment, shared-producer mode, resolved through Transports"),
            new TransportSpec("herz-excl", "Herz ring, exclusive producer", "shm:${dir}/herz-excl.seg", 1, true, 1,
                List.of(), false, "Herz ring with the publication declared exclusive (layout v2): claims without a " +
                "CAS on the tail; a second producer would be refused"),
            new TransportSpec("herz-batch", "Herz ring, batched claims (4 KiB)", "shm:${dir}/herz-batch.seg", 1,
                false, 16, List.of(), false, "Herz ring, shared mode, the publication claiming 4 KiB at once " +
                "(PublicationOptions.batchBytes): one tail CAS and one commit CAS per batch; a batch becomes " +
                "visible when full or when the producer flushes before idling", BATCH_BYTES),
            new TransportSpec("herz-2c", "Herz ring, 2 consumers", "shm:${dir}/herz-2c.seg", 2, false, 16, List.of(),
                false, "Herz ring read by two named consumer JVMs (fan-out, layout v2), each checking every message; " +
                "the slower one holds the producers back"),
            new TransportSpec("agrona-m2o", "Agrona ManyToOneRingBuffer", "agrona-m2o:${dir}/agrona-m2o.ring", 1,
                false, 16, List.of(), false,
                "Agrona 2.4.1 ManyToOneRingBuffer over a mapped file of the same capacity"),
            new TransportSpec("agrona-o2o", "Agrona OneToOneRingBuffer", "agrona-o2o:${dir}/agrona-o2o.ring", 1,
                true, 1, List.of(), false, "Agrona 2.4.1 OneToOneRingBuffer over a mapped file; one producer only"),
            new TransportSpec("uds", "Unix domain socket", "uds:${dir}/uds.sock", 1, false, 16, List.of(), false,
                "java.nio UnixDomainSocketAddress stream, one connection per producer, writes batched to 16 KiB"),
            new TransportSpec("chronicle", "Chronicle Queue", "chronicle:${dir}/chronicle", 1, false, 16,
                io.herz.bench.peer.ChronicleTransportProvider.JVM_FLAGS, false,
                "Chronicle Queue 2026.4 (open source), appender and tailer in separate JVMs, queue files in the " +
                "same directory"),
            new TransportSpec("aeron-ipc", "Aeron IPC", "aeron:ipc", 1, false, 16, List.of(), true,
                "Aeron 1.51.0 aeron:ipc through ipc-aeron's TransportProvider; one media driver JVM shared by the " +
                "row's JVMs (shared threading, 1 MiB terms); messages above one MTU are offered (fragmented)"),
            new TransportSpec("aeron-udp", "Aeron UDP (loopback)", "aeron:udp?endpoint=127.0.0.1:${port}", 1, false,
                16, List.of(), true, "Aeron 1.51.0 aeron:udp on 127.0.0.1 through ipc-aeron's TransportProvider; " +
                "one media driver JVM as for Aeron IPC"));
    }

    /**
     * @param names comma-separated row names, or "all".
     * @return the named rows, in catalog order.
     * @throws IllegalArgumentException for an unknown name.
     */
    static List<TransportSpec> select(final String names)
    {
        final List<TransportSpec> catalog = catalog();
        if ("all".equals(names))
        {
            return catalog;
        }
        final List<String> wanted = List.of(names.split(","));
        for (final String name : wanted)
        {
            if (catalog.stream().noneMatch(spec -> spec.name().equals(name.trim())))
            {
                throw new IllegalArgumentException("transport not known: expected all or some of " +
                    catalog.stream().map(TransportSpec::name).toList() + ", found '" + name + "'");
            }
        }
        return catalog.stream().filter(spec -> wanted.stream().anyMatch(name -> name.trim().equals(spec.name())))
            .toList();
    }

    /**
     * @param directory the scenario's directory.
     * @param port      a free UDP port on the loopback.
     * @return the stream's URI.
     */
    String uri(final Path directory, final int port)
    {
        return uriTemplate.replace("${dir}", directory.toString()).replace("${port}", Integer.toString(port));
    }

    /**
     * @return null when this JVM can resolve the row's scheme, else why not (the row is then skipped).
     */
    String unavailableReason()
    {
        try
        {
            Transports.provider(TransportUri.parse(uri(Path.of("/nonexistent"), 1)));
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
    }
}
