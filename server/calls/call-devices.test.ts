// A call and the devices in it: someone whose device goes away (its socket closes) stays in the
// call for CALL_RECONNECT_SECONDS, and may come back from another device (which takes the place
// of the gone one, media included); not back in time, they leave, and a one-to-one call ends.
// While the device in the call is still open, another device of theirs is ANSWERED_ELSEWHERE.
// A call lasts at most CALL_MAX_SECONDS from its answer. A group call rings at most
// CALL_RING_MEMBERS members, the most recently active; the others may join. One person is rung
// at most CALL_RINGS_PER_HOUR times an hour, whoever calls.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, join, type Member, memberPool } from '../../test/harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('call-devices', {
    CALL_RECONNECT_SECONDS: '2',
    CALL_MAX_SECONDS: '10',
    CALL_RING_MEMBERS: '2',
    CALL_RINGS_PER_HOUR: '3',
  });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const id = () => crypto.randomUUID();

async function answered(): Promise<{ ana: Member; bruno: Member; callId: string }> {
  const [ana, bruno] = await Promise.all([pool.member(), pool.member()]);
  await befriend(env.node, ana, bruno);
  const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '¿Hablamos?' });
  const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
  await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === callId);
  await bruno.call('calls.accept', { callId });
  return { ana, bruno, callId };
}

describe('calls: devices', () => {
  test('calls: another device is ANSWERED_ELSEWHERE while the one in the call is open; once it closes, another device takes its place (media too) within the reconnect time', async () => {
    const { ana, bruno, callId } = await answered();
    const brunoPhone = pool.keep(await join(env, env.node, bruno.user));
    expect((await brunoPhone.refused('calls.accept', { callId })).code).toBe('ANSWERED_ELSEWHERE');
    expect((await brunoPhone.refused('calls.media', { callId })).code).toBe('NOT_IN_CALL');
    bruno.close();
    // The phone answers again once the other device is seen gone (the user actor tells the call).
    await expect
      .poll(async () => (await brunoPhone.call('calls.accept', { callId }).catch(() => undefined))?.state, { timeout: 5000 })
      .toBe('active');
    expect((await brunoPhone.call('calls.media', { callId })).epoch).toMatch(/^[0-9a-f-]{36}$/);
    // Well past the reconnect time, Bruno is still in the call from the phone.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const now = await ana.call('calls.get', { callId });
    expect(now).toMatchObject({ state: 'active' });
    expect(now.participants.map((p) => p.state)).toEqual(['joined', 'joined']);
    await ana.call('calls.leave', { callId });
  });

  test('calls: someone whose device goes away and does not come back within the reconnect time leaves; a one-to-one call then ends completed', async () => {
    const { ana, bruno, callId } = await answered();
    await ana.follow(`call:${callId}`);
    const ended = ana.event('call.changed', (body) => (body.call as { state: string }).state === 'ended');
    bruno.close();
    const call = (await ended).call as { endReason: string; participants: { userId: string; state: string }[] };
    expect(call.endReason).toBe('completed');
    expect(call.participants.find((p) => p.userId === bruno.id)?.state).toBe('left');
    // Free again: both may call anew.
    const brunoAgain = pool.keep(await join(env, env.node, bruno.user));
    const { conversationId } = await ana.call('calls.get', { callId });
    expect((await brunoAgain.call('calls.start', { conversationId, video: false, clientId: id() })).state).toBe('ringing');
  });

  test('calls: a call ends completed at its longest life from the answer', async () => {
    const { ana, callId } = await answered();
    await ana.follow(`call:${callId}`);
    const ended = await ana.event('call.changed', (body) => (body.call as { state: string }).state === 'ended', 20_000);
    expect(ended.call).toMatchObject({ state: 'ended', endReason: 'completed' });
    expect((ended.call as { durationSeconds: number }).durationSeconds).toBeGreaterThanOrEqual(9);
  }, 30_000);

  test('calls: a group call rings at most CALL_RING_MEMBERS members, those who read the group most recently; the others are not rung and may join', async () => {
    const [ana, bruno, carla, dora] = await Promise.all([pool.member(), pool.member(), pool.member(), pool.member()]);
    for (const other of [bruno, carla, dora]) await befriend(env.node, ana, other);
    const { id: conversationId } = await ana.call('chats.createGroup', { name: 'Manada', userIds: [bruno.id, carla.id, dora.id] });
    const { seq } = await ana.call('chats.send', { conversationId, clientId: id(), text: '¿Paseo a las 6?' });
    for (const reader of [carla, dora]) await reader.call('chats.read', { conversationId, seq });
    const started = await ana.call('calls.start', { conversationId, video: true, clientId: id() });
    expect(started.participants.map((p) => [p.userId, p.state])).toEqual(
      [[ana.id, 'joined'], ...[carla.id, dora.id].sort().map((userId) => [userId, 'ringing'])].sort((a, b) =>
        a[0] === ana.id ? -1 : b[0] === ana.id ? 1 : 0,
      ),
    );
    for (const rung of [carla, dora]) await rung.event('call.incoming', (body) => (body.call as { id: string }).id === started.id);
    // Bruno is not rung, but may join.
    await expect(bruno.event('call.incoming', (body) => (body.call as { id: string }).id === started.id, 500)).rejects.toThrow();
    const joined = await bruno.call('calls.join', { callId: started.id });
    expect(joined.participants.find((p) => p.userId === bruno.id)?.state).toBe('joined');
    await ana.call('calls.leave', { callId: started.id });
    await bruno.call('calls.leave', { callId: started.id });
  });

  test('calls: one person is rung at most CALL_RINGS_PER_HOUR times an hour, whoever calls: then a one-to-one call is RATE_LIMITED and a group does not ring them', async () => {
    const [ana, bruno, carla] = await Promise.all([pool.member(), pool.member(), pool.member()]);
    await befriend(env.node, ana, bruno);
    await befriend(env.node, carla, bruno);
    await befriend(env.node, carla, ana);
    const { conversationId: anaWithBruno } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'hola' });
    for (let i = 0; i < 3; i++) {
      const { id: callId, state } = await ana.call('calls.start', { conversationId: anaWithBruno, video: false, clientId: id() });
      expect(state).toBe('ringing');
      await ana.call('calls.leave', { callId });
    }
    expect((await ana.refused('calls.start', { conversationId: anaWithBruno, video: false, clientId: id() })).code).toBe('RATE_LIMITED');
    // Another caller too: the count is Bruno's.
    const { conversationId: carlaWithBruno } = await carla.call('chats.send', { to: bruno.id, clientId: id(), text: 'hola' });
    expect((await carla.refused('calls.start', { conversationId: carlaWithBruno, video: false, clientId: id() })).code).toBe(
      'RATE_LIMITED',
    );
    // In a group the call goes on, ringing the others only.
    const { id: groupId } = await carla.call('chats.createGroup', { name: 'Trío', userIds: [ana.id, bruno.id] });
    const started = await carla.call('calls.start', { conversationId: groupId, video: false, clientId: id() });
    expect(started.participants.map((p) => p.userId).sort()).toEqual([ana.id, carla.id].sort());
    await carla.call('calls.leave', { callId: started.id });
  });
});
