// Every test checks its wire traffic: each frame encoded or decoded in the test's process (the
// in-process server, the test clients, the bus) must carry integers as MessagePack integers and
// no extension type. A fault fails the test that caused it, even where the codec's throw was
// caught and answered.
import { afterAll, afterEach, expect } from 'vitest';
import { checkEveryFrame } from '../../protocol/codec.ts';

const faults: string[] = [];
checkEveryFrame((fault) => faults.push(fault));

function noFaults() {
  expect(faults.splice(0), 'frames off the documented encoding (PROTOCOL.md, how each type travels)').toEqual([]);
}
afterEach(noFaults);
// Traffic after the last test (closing servers and sockets) is checked too.
afterAll(noFaults);
