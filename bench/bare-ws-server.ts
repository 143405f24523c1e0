// The baseline of bench/gateway.ts: a bare Bun.serve WebSocket server doing the gateway's work
// with nothing around it. Calls: decode the MessagePack frame, encode a reply of the same shape
// as session.get. Fan-out: every socket follows one native topic; events arrive on a NATS
// subject and are handed to server.publish as they are.
import { connect } from 'nats';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const subject = process.env.BARE_SUBJECT ?? 'bench.bare.fanout';
const nc = await connect({ servers: natsUrl });
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch(request, bun) {
    return bun.upgrade(request) ? undefined : new Response('upgrade', { status: 426 });
  },
  websocket: {
    perMessageDeflate: false,
    open(ws) {
      ws.subscribe('t');
    },
    message(ws, message) {
      const frame = decodeFrame(message as Uint8Array) as { ref: number };
      ws.send(
        encodeFrame({
          type: 'reply',
          ref: frame.ref,
          body: { userId: 'u', role: 'user', sessionId: 's', socketId: 'k', node: 'bare', topics: [] },
        }),
      );
    },
  },
});
nc.subscribe(subject, { callback: (_error, message) => server.publish('t', message.data) });
await nc.flush();
process.stdout.write(`listening ${server.port}\n`);
process.on('SIGTERM', async () => {
  server.stop(true);
  await nc.drain();
  process.exit(0);
});
