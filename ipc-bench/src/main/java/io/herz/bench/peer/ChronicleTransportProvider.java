package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportProvider;
import io.herz.ipc.transport.TransportUri;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code chronicle:DIR}: a Chronicle Queue (open-source {@code net.openhft:chronicle-queue}) in directory DIR, as a
 * bench-only transport: each publication is an appender (any number, in any process: Chronicle serialises them with
 * its write lock), each subscription a tailer from the start of the queue. A message is one document: a 4-byte type
 * id, then the payload, written in place into the mapped queue file (the claim wraps the document's bytes).
 * <p>
 * On Java 17 every JVM that opens a queue needs {@link #JVM_FLAGS} (Chronicle's documented list for Java 11+).
 */
public final class ChronicleTransportProvider implements TransportProvider
{
    /** The URI scheme. */
    public static final String SCHEME = "chronicle";

    /** The flags Chronicle's documentation gives for Java 11 and later, plus switches for its banners. */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true");

    public String scheme()
    {
        return SCHEME;
    }

    public Publication publication(final TransportUri uri, final PublicationOptions options)
    {
        return new ChroniclePublication(uri.text(), Path.of(uri.specific()));
    }

    public Subscription subscription(final TransportUri uri, final SubscriptionOptions options)
    {
        return new ChronicleSubscription(uri.text(), Path.of(uri.specific()));
    }
}
