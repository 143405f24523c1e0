// The protocol calls of payments. Each hands the work to payments.ts.
import { TREAT_PACKS } from '../../protocol/lists.ts';
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Payments } from './payments.ts';
import type { Subscriptions } from './subscriptions.ts';

export function paymentHandlers(
  payments: Payments,
): HandlerMap<'payments.options' | 'payments.checkout' | 'payments.capture' | 'payments.get' | 'payments.list'> {
  return {
    'payments.options': async () => ({
      packs: Object.entries(TREAT_PACKS).map(([id, pack]) => ({
        id: id as keyof typeof TREAT_PACKS,
        treats: pack.treats,
        prices: { ...pack.prices },
      })),
      methods: payments.methods,
    }),
    'payments.checkout': (context, body) => payments.checkout(context.principal.userId, body),
    'payments.capture': (context, body) => payments.capture(context.principal.userId, body.paymentId),
    'payments.get': (context, body) => payments.get(context.principal.userId, body.paymentId),
    'payments.list': (context, body) => payments.list(context.principal.userId, body),
  };
}

export function subscriptionHandlers(
  subscriptions: Subscriptions,
): HandlerMap<'subscriptions.plans' | 'subscriptions.mine' | 'subscriptions.checkout' | 'subscriptions.sync' | 'subscriptions.cancel'> {
  return {
    'subscriptions.plans': (context) => subscriptions.plans(context.principal.userId),
    'subscriptions.mine': (context) => subscriptions.mine(context.principal.userId),
    'subscriptions.checkout': (context, body) => subscriptions.checkout(context.principal.userId, body),
    'subscriptions.sync': (context, body) => subscriptions.sync(context.principal.userId, body.subscriptionId),
    'subscriptions.cancel': (context, body) => subscriptions.cancel(context.principal.userId, body.subscriptionId),
  };
}
