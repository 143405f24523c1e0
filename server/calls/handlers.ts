// The protocol calls of calls: each goes to the Calls module (server/calls/calls.ts), which checks
// the caller's membership of the conversation and hands the change to the call's actor (media
// signalling included: the actor holds the router).
import type { MediaCall, MediaRequest } from '../../actors/call.ts';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Calls } from './calls.ts';

type CallCall = `calls.${'start' | 'accept' | 'decline' | 'join' | 'leave' | 'get' | 'history'}` | MediaCall;

export function callHandlers(calls: Calls): HandlerMap<CallCall> {
  const media =
    <C extends MediaCall>(call: C) =>
    (context: { principal: { userId: string }; socketId: string }, body: CallRequest<C>) =>
      calls.media(context.principal.userId, context.socketId, { call, body } as MediaRequest) as Promise<CallResponse<C>>;
  return {
    'calls.start': (context, body) => calls.start(context.principal.userId, context.socketId, body),
    'calls.accept': (context, body) => calls.accept(context.principal.userId, context.socketId, body.callId),
    'calls.decline': (context, body) => calls.decline(context.principal.userId, body.callId),
    'calls.join': (context, body) => calls.join(context.principal.userId, context.socketId, body.callId),
    'calls.leave': (context, body) => calls.leave(context.principal.userId, body.callId),
    'calls.get': (context, body) => calls.get(context.principal.userId, body.callId),
    'calls.history': (context, body) => calls.history(context.principal.userId, body),
    'calls.media': media('calls.media'),
    'calls.createTransport': media('calls.createTransport'),
    'calls.connectTransport': media('calls.connectTransport'),
    'calls.restartIce': media('calls.restartIce'),
    'calls.produce': media('calls.produce'),
    'calls.setProducer': media('calls.setProducer'),
    'calls.closeProducer': media('calls.closeProducer'),
    'calls.consume': media('calls.consume'),
    'calls.setConsumer': media('calls.setConsumer'),
  };
}
