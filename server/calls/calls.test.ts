// Calls through the protocol, on two nodes: ringing every device of the callee, answering on one
// (the others stop ringing), declining, no answer, busy, one call per user, group calls joined and
// left at will, the system message and history, and what strangers, blocked people and removed
// members get when they try someone else's call.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, join, type Member, memberPool } from '../../test/harness/social.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;
const RING_SECONDS = 3;

beforeAll(async () => {
  env = await startAccountsEnv('calls', { NODE_ID: 'calls-a', CALL_RING_SECONDS: String(RING_SECONDS) });
  pool = memberPool(env);
  nodeB = await env.peer('calls-b', { CALL_RING_SECONDS: String(RING_SECONDS) });
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = (node?: RunningNode) => pool.member(node);
const id = () => crypto.randomUUID();

/** Two friends with a one-to-one conversation (Ana on node A, Bruno on node B). */
async function pair(): Promise<{ ana: Member; bruno: Member; conversationId: string }> {
  const [ana, bruno] = await Promise.all([member(env.node), member(nodeB)]);
  await befriend(env.node, ana, bruno);
  const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '¿Llamamos?' });
  return { ana, bruno, conversationId: first.conversationId };
}

type SystemCall = { action: string; call: { callId: string; outcome: string; durationSeconds: number; video: boolean } | null };

async function lastSystemMessage(who: Member, conversationId: string): Promise<SystemCall | undefined> {
  const history = await who.call('chats.history', { conversationId });
  return history.items.at(-1)?.system as SystemCall | undefined;
}

describe('calls: one-to-one', () => {
  test('calls: ringing reaches every device of the callee; one answers, the other stops ringing and cannot answer; hanging up ends it completed with a system message and history', async () => {
    const { ana, bruno, conversationId } = await pair();
    const brunoPhone = pool.keep(await join(env, env.node, bruno.user));
    const clientId = id();
    const started = await ana.call('calls.start', { conversationId, video: true, clientId });
    expect(started).toMatchObject({ conversationId, kind: 'direct', video: true, state: 'ringing', endReason: null, startedBy: ana.id });
    expect(started.participants.map((p) => [p.userId, p.state])).toEqual([
      [ana.id, 'joined'],
      [bruno.id, 'ringing'],
    ]);
    // A retry of the start answers the same call.
    expect((await ana.call('calls.start', { conversationId, video: true, clientId })).id).toBe(started.id);
    const callId = started.id;
    for (const device of [bruno, brunoPhone])
      expect(await device.event('call.incoming', (body) => (body.call as { id: string }).id === callId)).toMatchObject({
        call: { id: callId, state: 'ringing' },
      });
    await ana.follow(`call:${callId}`);

    // Both devices answer at once: one wins, the other is refused and told to stop ringing.
    const [first, second] = await Promise.all([
      bruno.socket.request({ type: 'call', op: 'calls.accept', body: { callId } }),
      brunoPhone.socket.request({ type: 'call', op: 'calls.accept', body: { callId } }),
    ]);
    const outcomes = [first, second].map((frame) => (frame.type === 'reply' ? 'reply' : frame.code));
    expect(outcomes.sort()).toEqual(['ANSWERED_ELSEWHERE', 'reply']);
    const winner = first.type === 'reply' ? bruno : brunoPhone;
    const loser = winner === bruno ? brunoPhone : bruno;
    expect(await loser.event('call.cancelled', (body) => body.callId === callId)).toEqual({ callId, reason: 'answered' });
    // The winning device repeating its accept gets the call again.
    expect((await winner.call('calls.accept', { callId })).state).toBe('active');
    const changed = await ana.event('call.changed', (body) => (body.call as { state: string }).state === 'active');
    expect((changed.call as { participants: { state: string }[] }).participants.map((p) => p.state)).toEqual(['joined', 'joined']);

    // One call at a time: neither may start another.
    expect((await bruno.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('CALL_IN_PROGRESS');

    const ended = await ana.call('calls.leave', { callId });
    expect(ended).toMatchObject({ state: 'ended', endReason: 'completed' });
    expect(ended.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(ended.participants.map((p) => p.state)).toEqual(['left', 'left']);
    // Leaving again changes nothing.
    expect(await ana.call('calls.leave', { callId })).toEqual(ended);
    await expect
      .poll(async () => (await lastSystemMessage(bruno, conversationId))?.call, { timeout: 5000 })
      .toEqual({ callId, video: true, durationSeconds: ended.durationSeconds, outcome: 'completed' });
    const history = await bruno.call('calls.history', {});
    expect(history.items[0]).toEqual(ended);
    expect((await ana.call('calls.get', { callId })).state).toBe('ended');
    // Accepting or declining after the end.
    expect((await bruno.refused('calls.decline', { callId })).code).toBe('CALL_ENDED');
  });

  test('calls: the database holds one end message per call and conversation, whoever writes it', async () => {
    const { ana, conversationId } = await pair();
    const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await ana.call('calls.leave', { callId });
    await expect.poll(async () => (await lastSystemMessage(ana, conversationId))?.call?.callId, { timeout: 5000 }).toBe(callId);
    const db = env.node.platform.database.db;
    const second = db.execute(
      sql`insert into messages (conversation_id, seq, id, sender_id, client_id, kind, text, search_text, created_at)
          select ${conversationId}, last_seq + 1, ${crypto.randomUUID()}, null, ${callId}, 'system', '', '', now() from conversations where id = ${conversationId}`,
    );
    await expect(second).rejects.toMatchObject({ cause: { code: '23505', constraint_name: 'messages_system_client' } });
  });

  test('calls: a ring retried after the call ended (its reminder) is dropped, not delivered after the stop-ringing', async () => {
    const { ana, bruno, conversationId } = await pair();
    const started = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === started.id);
    await bruno.call('calls.decline', { callId: started.id });
    await bruno.event('call.cancelled', (body) => body.callId === started.id);
    const rings = () =>
      bruno.socket.frames.filter(
        (frame) => frame.type === 'event' && frame.name === 'call.incoming' && JSON.stringify(frame.body).includes(started.id),
      ).length;
    const before = rings();
    // What the ring's reminder would send if its first delivery had failed.
    await env.node.actors.ask('call', started.id, {
      op: 'notify',
      userId: bruno.id,
      event: { name: 'call.incoming', body: { call: started } },
    });
    // A marker after it on the same topic: once it is here, anything the notify sent would be too.
    const after = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === after.id);
    expect(rings()).toBe(before);
    await ana.call('calls.leave', { callId: after.id });
  });

  test('calls: a decline ends a one-to-one call declined; a repeat answers the same; nothing else changes it afterwards', async () => {
    const { ana, bruno, conversationId } = await pair();
    const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === callId);
    // A one-to-one call is answered, never joined.
    expect((await bruno.refused('calls.join', { callId })).code).toBe('INVALID_INPUT');
    const declined = await bruno.call('calls.decline', { callId });
    expect(declined).toMatchObject({ state: 'ended', endReason: 'declined', durationSeconds: 0 });
    expect(await bruno.event('call.cancelled', (body) => body.callId === callId)).toEqual({ callId, reason: 'declined' });
    expect(await bruno.call('calls.decline', { callId })).toEqual(declined);
    expect((await bruno.refused('calls.accept', { callId })).code).toBe('CALL_ENDED');
    await expect.poll(async () => (await lastSystemMessage(ana, conversationId))?.call?.outcome, { timeout: 5000 }).toBe('declined');
  });

  test('calls: unanswered, the callee stops ringing after the ring time and the call ends missed', async () => {
    const { ana, bruno, conversationId } = await pair();
    const { id: callId } = await ana.call('calls.start', { conversationId, video: true, clientId: id() });
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === callId);
    expect(await bruno.event('call.cancelled', (body) => body.callId === callId, RING_SECONDS * 1000 + 5000)).toEqual({
      callId,
      reason: 'missed',
    });
    const missed = await ana.call('calls.get', { callId });
    expect(missed).toMatchObject({ state: 'ended', endReason: 'missed', durationSeconds: 0 });
    expect(missed.participants.map((p) => p.state)).toEqual(['left', 'missed']);
    await expect.poll(async () => (await lastSystemMessage(bruno, conversationId))?.call?.outcome, { timeout: 5000 }).toBe('missed');
    expect((await bruno.refused('calls.accept', { callId })).code).toBe('CALL_ENDED');
  });

  test('calls: a callee in another call is not rung and the call ends busy; nobody is in two calls', async () => {
    const { ana, bruno, conversationId } = await pair();
    const carla = await member(nodeB);
    await befriend(env.node, bruno, carla);
    const withCarla = (await bruno.call('chats.send', { to: carla.id, clientId: id(), text: 'hola' })).conversationId;
    const { id: busyCall } = await bruno.call('calls.start', { conversationId: withCarla, video: false, clientId: id() });
    await carla.call('calls.accept', { callId: busyCall });

    const attempt = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    expect(attempt).toMatchObject({ state: 'ended', endReason: 'busy' });
    expect(attempt.participants.map((p) => [p.userId, p.state])).toEqual([
      [ana.id, 'left'],
      [bruno.id, 'busy'],
    ]);
    await expect(bruno.event('call.incoming', (body) => (body.call as { id: string }).id === attempt.id, 500)).rejects.toThrow(
      /no matching frame/,
    );
    // Bruno, in a call, may not start or answer another.
    expect((await bruno.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('ALREADY_IN_CALL');
    const again = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    expect(again.state).toBe('ended');
    await bruno.call('calls.leave', { callId: busyCall });
    const third = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    expect(third.state).toBe('ringing');
    await ana.call('calls.leave', { callId: third.id });
  });
});

describe('calls: who may', () => {
  test('calls: a stranger gets NOT_FOUND for someone else’s call and conversation, FORBIDDEN for its topic; bad bodies change nothing', async () => {
    const { ana, bruno, conversationId } = await pair();
    const stranger = await member(nodeB);
    const { id: callId } = await ana.call('calls.start', { conversationId, video: true, clientId: id() });
    for (const op of ['calls.get', 'calls.accept', 'calls.decline', 'calls.join', 'calls.leave'] as const)
      expect([op, (await stranger.refused(op, { callId })).code]).toEqual([op, 'NOT_FOUND']);
    expect((await stranger.refused('calls.get', { callId: id() })).code).toBe('NOT_FOUND');
    expect((await stranger.refused('calls.start', { conversationId, video: true, clientId: id() })).code).toBe('NOT_FOUND');
    expect((await stranger.refused('calls.start', { conversationId: id(), video: true, clientId: id() })).code).toBe('NOT_FOUND');
    const topic = await stranger.socket.request({ type: 'sub', topic: `call:${callId}` });
    expect([topic.type, topic.code]).toEqual(['error', 'FORBIDDEN']);
    expect((await stranger.socket.request({ type: 'sub', topic: `call:${id()}` })).code).toBe('FORBIDDEN');
    // Extra fields, at the top or nested, wrong types and a huge body are refused before anything runs.
    expect((await bruno.refused('calls.accept', { callId, extra: 1 })).code).toBe('INVALID_BODY');
    expect((await bruno.refused('calls.start', { conversationId, video: true, clientId: id(), placement: { node: 'x' } })).code).toBe(
      'INVALID_BODY',
    );
    expect((await bruno.refused('calls.history', { before: { $gt: '' } })).code).toBe('INVALID_BODY');
    expect((await bruno.refused('calls.history', { limit: 1000 })).code).toBe('INVALID_BODY');
    expect((await bruno.refused('calls.accept', { callId: 'x'.repeat(60_000) })).code).toBe('INVALID_BODY');
    // The callee declining a call they are not rung for: nothing changed by any of it.
    const still = await bruno.call('calls.get', { callId });
    expect(still.state).toBe('ringing');
    expect(still.participants.map((p) => p.userId)).toEqual([ana.id, bruno.id]);
    // A conversation has one call in progress.
    const busy = await bruno.refused('calls.start', { conversationId, video: false, clientId: id() });
    expect(busy).toEqual({ code: 'CALL_IN_PROGRESS', details: { callId } });
    await ana.call('calls.leave', { callId });
  });

  test('calls: a block either way and the messages setting refuse a call exactly as they refuse a message', async () => {
    const { ana, bruno, conversationId } = await pair();
    await bruno.call('blocks.block', { userId: ana.id });
    expect((await ana.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await bruno.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('MESSAGE_NOT_ALLOWED');
    await bruno.call('blocks.unblock', { userId: ana.id });

    const carla = await member(nodeB);
    await carla.call('privacy.update', { messages: 'everyone' });
    const toCarla = (await ana.call('chats.send', { to: carla.id, clientId: id(), text: '¿Hablamos?' })).conversationId;
    await carla.call('privacy.update', { messages: 'nobody' });
    expect((await ana.refused('calls.start', { conversationId: toCarla, video: true, clientId: id() })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await ana.call('calls.history', {})).items.map((call) => call.conversationId)).not.toContain(toCarla);
  });

  test('calls: a stranger whose message request is not accepted cannot ring through it; once accepted, the call rings', async () => {
    const [ana, eva] = await Promise.all([member(env.node), member(nodeB)]);
    await eva.call('privacy.update', { messages: 'everyone' });
    const conversationId = (await ana.call('chats.send', { to: eva.id, clientId: id(), text: 'Hola, vi a tu perro' })).conversationId;
    expect((await ana.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect(eva.socket.frames.some((frame) => frame.type === 'event' && frame.name === 'call.incoming')).toBe(false);
    await eva.call('chats.accept', { conversationId });
    const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await eva.event('call.incoming', (body) => (body.call as { id: string }).id === callId);
    await ana.call('calls.leave', { callId });
  });

  test('calls: starting is rate limited per user (CALLS_PER_HOUR)', async () => {
    const limited = await env.peer('calls-limited', { CALLS_PER_HOUR: '2' });
    const [ana, bruno] = await Promise.all([member(limited), member(nodeB)]);
    await befriend(env.node, ana, bruno);
    const conversationId = (await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'hola' })).conversationId;
    for (let i = 0; i < 2; i++) {
      const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
      await ana.call('calls.leave', { callId });
    }
    expect((await ana.refused('calls.start', { conversationId, video: false, clientId: id() })).code).toBe('RATE_LIMITED');
  });
});

describe('calls: groups', () => {
  test('calls: join and leave loops are bounded: the 21st join of one call in a minute is RATE_LIMITED (retryAfterMs) and changes nothing; others still join', async () => {
    const [ana, bruno, carla] = await Promise.all([member(env.node), member(nodeB), member(env.node)]);
    await Promise.all([befriend(env.node, ana, bruno), befriend(env.node, ana, carla)]);
    const group = await ana.call('chats.createGroup', { name: 'Bucle', userIds: [bruno.id, carla.id] });
    const { id: callId } = await ana.call('calls.start', { conversationId: group.id, video: false, clientId: id() });
    await bruno.follow(`call:${callId}`);
    for (let i = 0; i < 20; i++) {
      await carla.call('calls.join', { callId });
      await carla.call('calls.leave', { callId });
    }
    const before = await ana.call('calls.get', { callId });
    const refusal = await carla.refused('calls.join', { callId });
    expect(refusal.code).toBe('RATE_LIMITED');
    expect((refusal.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((refusal.details as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await ana.call('calls.get', { callId })).toEqual(before);
    expect(before.participants.find((p) => p.userId === carla.id)?.state).toBe('left');
    // The limit is Carla's, for this call: Bruno answers.
    expect((await bruno.call('calls.accept', { callId })).participants.find((p) => p.userId === bruno.id)?.state).toBe('joined');
    await ana.call('calls.leave', { callId });
    await bruno.call('calls.leave', { callId });
  });

  test('calls: a group call rings every member, goes on after a decline, can be joined late and left at will; a removed member loses it; replay never reaches before an invitation', async () => {
    const [ana, bruno, carla, dora] = await Promise.all([member(env.node), member(nodeB), member(nodeB), member(env.node)]);
    await Promise.all([befriend(env.node, ana, bruno), befriend(env.node, ana, carla), befriend(env.node, ana, dora)]);
    const group = await ana.call('chats.createGroup', { name: 'Paseo', userIds: [bruno.id, carla.id] });
    const conversationId = group.id;
    const started = await ana.call('calls.start', { conversationId, video: true, clientId: id() });
    const callId = started.id;
    const topic = `call:${callId}`;
    expect(started.participants.map((p) => p.state)).toEqual(['joined', 'ringing', 'ringing']);
    await Promise.all([bruno, carla].map((who) => who.event('call.incoming', (body) => (body.call as { id: string }).id === callId)));
    await bruno.follow(topic);
    expect((await carla.call('calls.decline', { callId })).state).toBe('ringing');
    expect((await bruno.call('calls.accept', { callId })).state).toBe('active');
    // Carla changes her mind.
    expect((await carla.call('calls.join', { callId })).participants.map((p) => p.state)).toEqual(['joined', 'joined', 'joined']);

    // Dora joins the group after the call started: she may join it, but replay gives her nothing from before.
    await ana.call('chats.addMembers', { conversationId, userIds: [dora.id] });
    const resumed = await dora.socket.request({ type: 'sub', topic, since: { epoch: env.node.platform.topics.epoch, seq: 0 } });
    expect(resumed.type).toBe('error');
    await dora.call('calls.join', { callId });
    const resumedAfter = await dora.socket.request({ type: 'sub', topic, since: { epoch: env.node.platform.topics.epoch, seq: 0 } });
    expect(resumedAfter.type).toBe('reply');
    await dora.socket.next((frame) => frame.type === 'reset' && frame.topic === topic);
    expect(dora.socket.frames.filter((frame) => frame.type === 'event' && frame.topic === topic)).toEqual([]);

    // Carla is removed from the group: her subscription is revoked, the call is hidden from her,
    // and she is taken out of it (so she is free for another call).
    await carla.follow(topic);
    await ana.call('chats.removeMember', { conversationId, userId: carla.id });
    expect(await carla.socket.next((frame) => frame.type === 'revoked' && frame.topic === topic)).toMatchObject({ topic });
    for (const op of ['calls.get', 'calls.join', 'calls.leave', 'calls.accept', 'calls.decline'] as const)
      expect([op, (await carla.refused(op, { callId })).code]).toEqual([op, 'NOT_FOUND']);
    await expect
      .poll(async () => (await ana.call('calls.get', { callId })).participants.find((p) => p.userId === carla.id)?.state, { timeout: 5000 })
      .toBe('left');
    expect(JSON.stringify(carla.socket.frames.filter((frame) => frame.type === 'reply'))).not.toContain(dora.id);

    for (const who of [bruno, ana]) expect((await who.call('calls.leave', { callId })).state).toBe('active');
    const ended = await dora.call('calls.leave', { callId });
    expect(ended).toMatchObject({ state: 'ended', endReason: 'completed' });
    await expect.poll(async () => (await lastSystemMessage(bruno, conversationId))?.call?.outcome, { timeout: 5000 }).toBe('completed');
    const message = (await bruno.call('chats.history', { conversationId })).items.at(-1);
    expect(message?.system?.userIds.sort()).toEqual([ana.id, bruno.id, carla.id, dora.id].sort());
  });

  test('calls: the call itself refuses entry to someone no longer a member, whatever the caller checked before (a removal racing a join)', async () => {
    const [ana, bruno, carla] = await Promise.all([member(env.node), member(nodeB), member(nodeB)]);
    await Promise.all([befriend(env.node, ana, bruno), befriend(env.node, ana, carla)]);
    const conversationId = (await ana.call('chats.createGroup', { name: 'Río', userIds: [bruno.id, carla.id] })).id;
    const { id: callId } = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    await ana.call('chats.removeMember', { conversationId, userId: carla.id });
    // As if the gateway's membership check had passed just before the removal committed.
    await expect(env.node.actors.ask('call', callId, { op: 'join', userId: carla.id, socketId: 'carla-socket' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await ana.call('calls.get', { callId })).participants.find((p) => p.userId === carla.id)?.state).not.toBe('joined');
    await ana.call('calls.leave', { callId });
  });

  test('calls: a group call does not ring a member with a block either way with the caller', async () => {
    const [ana, bruno, carla, dora] = await Promise.all([member(env.node), member(nodeB), member(nodeB), member(env.node)]);
    await Promise.all([befriend(env.node, ana, bruno), befriend(env.node, ana, carla), befriend(env.node, ana, dora)]);
    const conversationId = (await ana.call('chats.createGroup', { name: 'Parque', userIds: [bruno.id, carla.id, dora.id] })).id;
    await carla.call('blocks.block', { userId: ana.id });
    await ana.call('blocks.block', { userId: dora.id });
    const started = await ana.call('calls.start', { conversationId, video: false, clientId: id() });
    expect(started.participants.map((p) => p.userId).sort()).toEqual([ana.id, bruno.id].sort());
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === started.id);
    for (const who of [carla, dora])
      expect(who.socket.frames.some((frame) => frame.type === 'event' && frame.name === 'call.incoming')).toBe(false);
    await ana.call('calls.leave', { callId: started.id });
  });

  test('calls: a video call takes 16 people at most: the 17th answer is CALL_FULL and changes nothing', async () => {
    const [ana, ...others] = await Promise.all(Array.from({ length: 17 }, (_, i) => member(i % 2 === 0 ? env.node : nodeB)));
    await Promise.all(others.map((other) => befriend(env.node, ana as Member, other)));
    const host = ana as Member;
    const group = await host.call('chats.createGroup', { name: 'Muchos', userIds: others.map((other) => other.id) });
    const { id: callId } = await host.call('calls.start', { conversationId: group.id, video: true, clientId: id() });
    const [last, ...first] = others as [Member, ...Member[]];
    // Joined rather than accepted: the test does not race the ring time.
    await Promise.all(first.map((other) => other.call('calls.join', { callId })));
    expect(await last.refused('calls.join', { callId })).toEqual({ code: 'CALL_FULL', details: { limit: 16 } });
    const call = await host.call('calls.get', { callId });
    expect(call.participants.filter((p) => p.state === 'joined')).toHaveLength(16);
    expect(['ringing', 'missed']).toContain(call.participants.find((p) => p.userId === last.id)?.state);
    // Someone leaves: there is room again.
    await (first[0] as Member).call('calls.leave', { callId });
    expect((await last.call('calls.join', { callId })).participants.filter((p) => p.state === 'joined')).toHaveLength(16);
  });
});

describe('calls: without a media server', () => {
  test('calls: on a platform where no node runs an SFU, a call is refused CALLS_UNAVAILABLE and nothing is stored or rung', async () => {
    const bare = await startAccountsEnv('calls-nosfu', { MEDIASOUP_WORKER_BIN: '/nonexistent' });
    const members = memberPool(bare);
    try {
      const [ana, bruno] = await Promise.all([members.member(bare.node), members.member(bare.node)]);
      await befriend(bare.node, ana, bruno);
      const conversationId = (await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '¿Llamamos?' })).conversationId;
      expect((await ana.refused('calls.start', { conversationId, video: true, clientId: id() })).code).toBe('CALLS_UNAVAILABLE');
      expect((await ana.call('calls.history', {})).items).toEqual([]);
      expect(bruno.socket.frames.some((frame) => frame.type === 'event' && frame.name === 'call.incoming')).toBe(false);
    } finally {
      members.closeAll();
      await bare.close();
    }
  });
});
