// The error codes each call may answer, as PROTOCOL.md publishes them: those any call may get and
// those its catalogue entry declares. A call answering another code breaks the contract native
// clients are written from; the gateway logs it (UNDECLARED_ERROR_LOG) and the test harness fails
// any test that causes it. No heavy imports: the harness reads the log message from here.
import { COMMON_CALL_ERRORS } from '../../protocol/errors.ts';

export const UNDECLARED_ERROR_LOG = 'gateway.call() | undeclared error code';

/** Per call, every code it may answer. */
export function declaredCodes(calls: Record<string, { errors: readonly string[] }>): Map<string, ReadonlySet<string>> {
  return new Map(Object.entries(calls).map(([name, spec]) => [name, new Set<string>([...COMMON_CALL_ERRORS, ...spec.errors])]));
}
