// A TCP proxy in front of a node, whose connections a test can cut at once: a network drop as a
// client sees it, without touching the server.
import type { Socket } from 'bun';

export interface CuttableProxy {
  readonly url: string;
  /** Drops every connection through the proxy, abruptly. */
  cut(): void;
  /** Stops forwarding in both directions but keeps the connections open: a peer gone silent. */
  freeze(): void;
  close(): void;
}

export async function startProxy(target: { hostname: string; port: number }): Promise<CuttableProxy> {
  let frozen = false;
  const pairs = new Set<{ client: Socket<{ upstream?: Socket<unknown>; buffered: Uint8Array[] }>; upstream?: Socket<unknown> }>();
  const listener = Bun.listen<{ upstream?: Socket<unknown>; buffered: Uint8Array[] }>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      async open(client) {
        client.data = { buffered: [] };
        const pair: { client: typeof client; upstream?: Socket<unknown> } = { client };
        pairs.add(pair);
        const upstream = await Bun.connect({
          hostname: target.hostname,
          port: target.port,
          socket: {
            data: (_socket, data) => {
              if (!frozen) client.write(data);
            },
            close: () => {
              client.end();
            },
          },
        });
        pair.upstream = upstream;
        client.data.upstream = upstream;
        for (const chunk of client.data.buffered) upstream.write(chunk);
        client.data.buffered = [];
      },
      data(client, data) {
        if (frozen) return;
        if (client.data.upstream === undefined) client.data.buffered.push(new Uint8Array(data));
        else client.data.upstream.write(data);
      },
      close(client) {
        client.data.upstream?.end();
      },
    },
  });
  const cut = () => {
    for (const pair of pairs) {
      pair.client.terminate();
      pair.upstream?.terminate();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${listener.port}`,
    cut,
    freeze() {
      frozen = true;
    },
    close() {
      cut();
      listener.stop(true);
    },
  };
}
