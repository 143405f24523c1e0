// Writes PROTOCOL.md from the protocol's declarations (protocol/doc.ts).
import { protocolDoc } from '../protocol/doc.ts';

await Bun.write(new URL('../PROTOCOL.md', import.meta.url), protocolDoc());
