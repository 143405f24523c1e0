// For tests that feed the codec what the suite-wide wire check (test/setup/wire.ts) refuses on
// purpose: garbage, floats where integers belong, extension types.
import { checkEveryFrame } from '../../protocol/codec.ts';

/** Runs `run` with the wire check off, and puts it back. */
export function unchecked<T>(run: () => T): T {
  const previous = checkEveryFrame(undefined);
  try {
    return run();
  } finally {
    checkEveryFrame(previous);
  }
}
