// The protocol calls of calls: each goes to the Calls module (server/calls/calls.ts), which checks
// the caller's membership of the conversation and hands the change to the call's actor.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Calls } from './calls.ts';

type CallCall = `calls.${'start' | 'accept' | 'decline' | 'join' | 'leave' | 'get' | 'history'}`;

export function callHandlers(calls: Calls): HandlerMap<CallCall> {
  return {
    'calls.start': (context, body) => calls.start(context.principal.userId, context.socketId, body),
    'calls.accept': (context, body) => calls.accept(context.principal.userId, context.socketId, body.callId),
    'calls.decline': (context, body) => calls.decline(context.principal.userId, body.callId),
    'calls.join': (context, body) => calls.join(context.principal.userId, context.socketId, body.callId),
    'calls.leave': (context, body) => calls.leave(context.principal.userId, body.callId),
    'calls.get': (context, body) => calls.get(context.principal.userId, body.callId),
    'calls.history': (context, body) => calls.history(context.principal.userId, body),
  };
}
