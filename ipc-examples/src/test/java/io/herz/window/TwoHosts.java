package io.herz.window;

import static io.herz.window.AeronPipelineCliTest.ip;
import static io.herz.window.AeronPipelineCliTest.must;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two "hosts" for tests that cross a network: two network namespaces joined by a veth pair, with addresses that exist
 * only inside them ({@code SUBNET.1} in the first, {@code SUBNET.2} in the second). Needs root for {@code ip netns};
 * where {@code ip netns add} is refused the test is skipped with the reason. {@link #close()} deletes both namespaces,
 * which takes the veth pair with them.
 */
final class TwoHosts implements AutoCloseable
{
    final String first;
    final String second;
    final String firstLink;
    final String secondLink;
    final String subnet;

    /**
     * @param name       distinguishes the namespaces and links of one test from another's (a few letters).
     * @param subnetByte second byte of the 10.x.y.0/24 subnet, so that tests running at once do not collide.
     */
    TwoHosts(final String name, final int subnetByte) throws Exception
    {
        final long pid = ProcessHandle.current().pid();
        final String tag = Long.toString(pid % 100_000);
        first = "herz-" + name + "a-" + tag;
        second = "herz-" + name + "b-" + tag;
        firstLink = "h" + name + "a" + tag;
        secondLink = "h" + name + "b" + tag;
        subnet = "10." + subnetByte + "." + (pid % 250) + ".";
        ip("netns", "del", first);
        ip("netns", "del", second);
        final String denied = ip("netns", "add", first);
        assumeTrue(null == denied, "skipped: this machine does not allow 'ip netns add' (" + denied + ")");
        try
        {
            must(ip("netns", "add", second));
            must(ip("link", "add", firstLink, "type", "veth", "peer", "name", secondLink));
            must(ip("link", "set", firstLink, "netns", first));
            must(ip("link", "set", secondLink, "netns", second));
            must(ip("-n", first, "addr", "add", subnet + "1/24", "dev", firstLink));
            must(ip("-n", second, "addr", "add", subnet + "2/24", "dev", secondLink));
            for (final String[] link : new String[][]{ { first, firstLink }, { second, secondLink }, { first, "lo" },
                { second, "lo" } })
            {
                must(ip("-n", link[0], "link", "set", link[1], "up"));
            }
        }
        catch (final Exception | AssertionError ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public void close() throws Exception
    {
        ip("netns", "del", first); // takes its end of the veth pair, and so the pair, with it
        ip("netns", "del", second);
    }
}
