// The protocol calls of support. Each hands the work to support.ts.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Support } from './support.ts';

export function supportHandlers(support: Support): HandlerMap<'support.send' | 'support.history' | 'support.close'> {
  return {
    'support.send': (context, body) => support.send(context.principal.userId, body),
    'support.history': (context, body) => support.history(context.principal.userId, body),
    'support.close': (context) => support.close(context.principal.userId),
  };
}
