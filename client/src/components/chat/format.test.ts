// A call's system line in the chat: how it ended, and its length when it was answered.
import { describe, expect, test } from 'vitest';
import type { ChatMessage } from '../../state/messageLog.ts';
import { callDuration, describeSystem } from './format.ts';

const ANA = '0190a3a0-0000-7000-8000-000000000001';
const callMessage = (call: { video: boolean; durationSeconds: number; outcome: string }): Pick<ChatMessage, 'system'> =>
  ({
    system: {
      action: 'call',
      actorId: ANA,
      userIds: [ANA],
      name: null,
      call: { callId: '0190a3a0-0000-7000-8000-0000000000ca', ...call },
    },
  }) as Pick<ChatMessage, 'system'>;
const nameOf = (userId: string) => (userId === ANA ? 'Ana' : 'someone');
/** The line without the bidi isolation t() puts around names. */
const line = (call: Parameters<typeof callMessage>[0]) => describeSystem(callMessage(call), nameOf).replace(/[\u2068\u2069]/g, '');

describe('call lines', () => {
  test('chat: an answered call says its kind and length; one nobody answered says who called', () => {
    expect(line({ video: true, durationSeconds: 125, outcome: 'completed' })).toBe('Video call · 2:05');
    expect(line({ video: false, durationSeconds: 3729, outcome: 'completed' })).toBe('Voice call · 1:02:09');
    expect(line({ video: false, durationSeconds: 0, outcome: 'missed' })).toBe('Missed voice call from Ana');
    expect(line({ video: true, durationSeconds: 0, outcome: 'missed' })).toBe('Missed video call from Ana');
    expect(line({ video: true, durationSeconds: 0, outcome: 'declined' })).toBe('Call from Ana declined');
    expect(line({ video: false, durationSeconds: 0, outcome: 'busy' })).toBe('Ana called while you were on another call');
    expect(line({ video: false, durationSeconds: 0, outcome: 'cancelled' })).toBe('Ana cancelled the call');
    expect(line({ video: false, durationSeconds: 0, outcome: 'failed' })).toBe('The call could not connect');
  });

  test('chat: call lengths read as m:ss under an hour and h:mm:ss from one', () => {
    expect([0, 9, 60, 599, 3600, 36_061].map(callDuration)).toEqual(['0:00', '0:09', '1:00', '9:59', '1:00:00', '10:01:01']);
  });
});
