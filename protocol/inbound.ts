// What the server makes of the bytes a client sends: the frame, or the exact `error` frame that
// refuses them (MALFORMED_FRAME with `details.reason` for bytes that are not one well-formed
// MessagePack value, MALFORMED_FRAME or INVALID_FRAME with `details.field` for a value that is not
// a valid frame). The gateway answers with it; the conformance vectors are generated from it.
import { decodeClientFrame } from './codec.ts';
import { type ClientFrame, checkClientFrame, isRef } from './frames.ts';

export interface Refusal {
  type: 'error';
  /** The frame's own `ref`, when it had a valid one. */
  ref?: number;
  code: 'MALFORMED_FRAME' | 'INVALID_FRAME';
  message: string;
  details?: Record<string, unknown>;
}

export function readClientFrame(bytes: Uint8Array, maxDepth: number): { ok: true; frame: ClientFrame } | { ok: false; refusal: Refusal } {
  const decoded = decodeClientFrame(bytes, maxDepth);
  if (!decoded.ok) {
    const { fault } = decoded;
    const message =
      fault.reason === 'too deep' ? `maps and arrays nested deeper than ${fault.maxDepth}` : `not one MessagePack value: ${fault.reason}`;
    return { ok: false, refusal: { type: 'error', code: 'MALFORMED_FRAME', message, details: { ...fault } } };
  }
  const checked = checkClientFrame(decoded.value);
  if (checked.ok) return { ok: true, frame: checked.frame };
  const ref = (decoded.value as { ref?: unknown } | null)?.ref;
  const validRef = isRef(ref) ? ref : undefined;
  return {
    ok: false,
    refusal: {
      type: 'error',
      ...(validRef === undefined ? {} : { ref: validRef }),
      code: checked.code,
      message: checked.message,
      ...(checked.field === undefined ? {} : { details: { field: checked.field } }),
    },
  };
}
