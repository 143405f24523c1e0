// The call buttons say a refusal plainly: a call already going on in the conversation offers to
// join it (a one-to-one's is answered, a group's joined), not allowed and calls off are errors.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../../protocol/client.ts';
import { en } from '../../i18n/messages/en.ts';
import { actions, state } from '../../state/store.ts';
import { CallButtons } from './CallButtons.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  for (const toast of state.toasts) actions.dismiss(toast.id);
});

const conversationId = '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7';
const callId = '0192a1b2-c3d4-7e5f-8a9b-0000000ca111';
const isolated = (name: string) => `\u2068${name}\u2069`;

function refuseWith(error: ProtocolError, kind: 'direct' | 'group' = 'group') {
  const calls: string[] = [];
  vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    calls.push(op);
    if (op === 'calls.start') throw error;
    if (op === 'calls.get') return { id: callId, kind };
    throw new ProtocolError('CALL_ENDED', 'over');
  }) as never);
  render(() => <CallButtons conversationId={conversationId} name="Bruno" />);
  return calls;
}

test('call buttons: CALL_IN_PROGRESS offers to join the call, and joining a group’s uses calls.join', async () => {
  const calls = refuseWith(new ProtocolError('CALL_IN_PROGRESS', 'busy', { callId }));
  fireEvent.click(screen.getByRole('button', { name: en['calls.startVideo'].replace('{name}', isolated('Bruno')) }));
  await waitFor(() => expect(state.toasts.map((toast) => toast.text)).toEqual([en['error.CALL_IN_PROGRESS']]));
  expect(state.toasts[0]?.action?.label).toBe(en['calls.join']);
  state.toasts[0]?.action?.run();
  await waitFor(() => expect(calls).toEqual(['calls.start', 'calls.get', 'calls.join']));
});

test('call buttons: a one-to-one call in progress is answered, not joined', async () => {
  const calls = refuseWith(new ProtocolError('CALL_IN_PROGRESS', 'busy', { callId }), 'direct');
  fireEvent.click(screen.getByRole('button', { name: en['calls.startVoice'].replace('{name}', isolated('Bruno')) }));
  await waitFor(() => expect(state.toasts).toHaveLength(1));
  state.toasts[0]?.action?.run();
  await waitFor(() => expect(calls).toEqual(['calls.start', 'calls.get', 'calls.accept']));
});

test.each([
  ['MESSAGE_NOT_ALLOWED', en['calls.notAllowed']],
  ['ALREADY_IN_CALL', en['error.ALREADY_IN_CALL']],
  ['CALLS_UNAVAILABLE', en['error.CALLS_UNAVAILABLE']],
])('call buttons: %s is said plainly, with nothing to join', async (code, text) => {
  refuseWith(new ProtocolError(code, 'refused'));
  fireEvent.click(screen.getByRole('button', { name: en['calls.startVoice'].replace('{name}', isolated('Bruno')) }));
  await waitFor(() => expect(state.toasts.map((toast) => [toast.text, toast.kind, toast.action])).toEqual([[text, 'error', undefined]]));
});
