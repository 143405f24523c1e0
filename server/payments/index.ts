// The payments module's wiring: the providers this deployment is configured for, and the service
// the calls and the webhook routes share.
import { RateLimiter } from '../accounts/rate-limits.ts';
import type { Platform } from '../platform/index.ts';
import { Payments } from './payments.ts';
import { PayPalGateway } from './paypal.ts';

export function createPayments(platform: Platform): Payments {
  const { paypal } = platform.config.payments;
  return new Payments({
    db: platform.database.db,
    topics: platform.topics,
    log: platform.log,
    limiter: new RateLimiter(platform.cache),
    appUrl: platform.config.accounts.appUrl,
    paypal: paypal === undefined ? undefined : new PayPalGateway(paypal, platform.log),
  });
}
