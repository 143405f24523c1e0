// Breaches of the published contract that a node logs while tests run (a call answered with an
// error code its catalogue entry does not declare), gathered from in-process nodes (testLogger)
// and node processes (spawnNode). test/setup/contract.ts fails the test during which one was logged, so every
// test of the suite checks the declared codes, not one test written for it.
import { UNDECLARED_ERROR_LOG } from '../../server/gateway/contract.ts';

const breaches: string[] = [];

/** Looks at one log message of a node under test. */
export function noteLogLine(message: unknown): void {
  if (typeof message === 'string' && message.startsWith(UNDECLARED_ERROR_LOG)) breaches.push(message);
}

/** The breaches logged since the last call. */
export function takeBreaches(): string[] {
  return breaches.splice(0);
}
