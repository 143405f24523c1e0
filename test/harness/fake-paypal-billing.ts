// Subscriptions in the fake PayPal (Catalog Products v1, Billing Plans and Subscriptions v1): products, plans with a
// fixed price per cycle, subscriptions from APPROVAL_PENDING through the buyer's approval to ACTIVE and CANCELLED,
// and the payments of each cycle, which PayPal reports as v1 "sales" (PAYMENT.SALE.COMPLETED, `billing_agreement_id`
// = the subscription). As on PayPal, the first cycle is charged when the buyer approves, so an activation sends
// BILLING.SUBSCRIPTION.ACTIVATED and a PAYMENT.SALE.COMPLETED.
import { checkoutPage, formFields, notFoundPage, redirect, withQuery } from './fake-checkout-page.ts';
import {
  fromCents,
  invalid,
  isMoneyValue,
  jsonBody,
  type Link,
  type Money,
  missing,
  notFound,
  paypalError,
  paypalId,
  paypalTime,
  toCents,
} from './fake-paypal-api.ts';
import type { PayPalEventType } from './fake-paypal-webhooks.ts';

type IntervalUnit = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
type SubscriptionStatus = 'APPROVAL_PENDING' | 'ACTIVE' | 'CANCELLED';

interface Plan {
  json: Record<string, unknown>;
  price: Money;
  interval: { unit: IntervalUnit; count: number };
}

interface Subscription {
  id: string;
  planId: string;
  customId: string | undefined;
  status: SubscriptionStatus;
  baToken: string;
  ecToken: string;
  returnUrl: string | undefined;
  cancelUrl: string | undefined;
  createTime: string;
  updateTime: string;
  statusUpdateTime: string;
  startTime: string | undefined;
  cyclesCompleted: number;
  failedPayments: number;
  lastPayment: { amount: Money; time: string } | undefined;
  lastFailedPayment: { amount: Money; time: string; reason_code: string } | undefined;
  nextBillingTime: string | undefined;
}

const INTERVALS = new Set<IntervalUnit>(['DAY', 'WEEK', 'MONTH', 'YEAR']);

function advance(time: string, unit: IntervalUnit, count: number): string {
  const date = new Date(time);
  if (unit === 'DAY') date.setUTCDate(date.getUTCDate() + count);
  if (unit === 'WEEK') date.setUTCDate(date.getUTCDate() + 7 * count);
  if (unit === 'MONTH') date.setUTCMonth(date.getUTCMonth() + count);
  if (unit === 'YEAR') date.setUTCFullYear(date.getUTCFullYear() + count);
  return paypalTime(date);
}

export class PayPalBilling {
  readonly #products = new Map<string, Record<string, unknown>>();
  readonly #plans = new Map<string, Plan>();
  readonly #subscriptions = new Map<string, Subscription>();
  /** Every cycle payment, as the v1 sale PAYMENT.SALE.COMPLETED carries. */
  readonly sales: Record<string, unknown>[] = [];
  readonly #refundedCents = new Map<string, number>();
  /** Every refund of a sale, in order. */
  readonly saleRefunds: Record<string, unknown>[] = [];

  constructor(
    readonly baseUrl: string,
    readonly emit: (type: PayPalEventType, resource: Record<string, unknown>) => void,
  ) {}

  /** Answers the billing and catalog endpoints, or undefined when the path is not one of them. */
  async route(request: Request, pathname: string): Promise<Response | undefined> {
    const method = request.method;
    if (method === 'POST' && pathname === '/v1/catalogs/products') return this.#createProduct(request);
    if (method === 'POST' && pathname === '/v1/billing/plans') return this.#createPlan(request);
    if (method === 'POST' && pathname === '/v1/billing/subscriptions') return this.#createSubscription(request);
    const plan = /^\/v1\/billing\/plans\/([^/]+)$/.exec(pathname);
    if (method === 'GET' && plan) {
      const found = this.#plans.get(plan[1] ?? '');
      return found ? Response.json(found.json) : notFound('plan');
    }
    const saleRefund = /^\/v1\/payments\/sale\/([^/]+)\/refund$/.exec(pathname);
    if (saleRefund && method === 'POST') return this.#refundSale(saleRefund[1] ?? '', request);
    const listed = /^\/v1\/billing\/subscriptions\/([^/]+)\/transactions$/.exec(pathname);
    if (listed && method === 'GET') {
      const found = this.#subscriptions.get(listed[1] ?? '');
      return found ? this.#transactions(found, new URL(request.url).searchParams) : notFound('subscription');
    }
    const subscription = /^\/v1\/billing\/subscriptions\/([^/]+)(\/cancel)?$/.exec(pathname);
    if (subscription) {
      const found = this.#subscriptions.get(subscription[1] ?? '');
      if (!found) return notFound('subscription');
      if (method === 'GET' && !subscription[2]) return Response.json(this.subscriptionJson(found));
      if (method === 'POST' && subscription[2]) return this.#cancel(found, request);
    }
    return undefined;
  }

  /** The buyer's approval screen at the subscription's approve link, and what its buttons post. */
  async page(request: Request, pathname: string): Promise<Response | undefined> {
    if (request.method === 'GET' && pathname === '/webapps/billing/subscriptions') {
      const subscription = this.#subscriptions.get(new URL(request.url).searchParams.get('subscription_id') ?? '');
      if (!subscription) return notFoundPage('subscription');
      const plan = this.#plans.get(subscription.planId);
      return checkoutPage({
        title: 'PayPal: subscribe',
        lines: [
          `${String(plan?.json.name ?? 'Plan')}: ${plan?.price.value} ${plan?.price.currency_code} every ${plan?.interval.count} ${plan?.interval.unit}`,
        ],
        fields: { subscription_id: subscription.id },
        buttons: [
          { label: 'Agree & Subscribe', action: '/webapps/billing/subscriptions/approve' },
          { label: 'Cancel', action: '/webapps/billing/subscriptions/cancel' },
        ],
      });
    }
    if (request.method !== 'POST' || !pathname.startsWith('/webapps/billing/subscriptions/')) return undefined;
    const subscription = this.#subscriptions.get((await formFields(request)).subscription_id ?? '');
    if (!subscription) return notFoundPage('subscription');
    const back = { subscription_id: subscription.id, ba_token: subscription.baToken, token: subscription.ecToken };
    if (pathname.endsWith('/approve')) {
      this.approve(subscription.id);
      return subscription.returnUrl ? redirect(withQuery(subscription.returnUrl, back)) : new Response('approved');
    }
    return subscription.cancelUrl ? redirect(withQuery(subscription.cancelUrl, back)) : new Response('cancelled');
  }

  /** The buyer approves: the subscription is ACTIVE and its first cycle is charged. */
  approve(subscriptionId: string): void {
    const subscription = this.#get(subscriptionId);
    if (subscription.status !== 'APPROVAL_PENDING') return;
    subscription.status = 'ACTIVE';
    subscription.startTime = paypalTime();
    subscription.statusUpdateTime = subscription.startTime;
    this.emit('BILLING.SUBSCRIPTION.ACTIVATED', this.subscriptionJson(subscription));
    this.renew(subscriptionId);
  }

  /** A cycle is paid: recorded on the subscription and reported as PAYMENT.SALE.COMPLETED. */
  renew(subscriptionId: string): Record<string, unknown> {
    const subscription = this.#get(subscriptionId);
    if (subscription.status !== 'ACTIVE')
      throw new Error(`fake PayPal: subscription ${subscriptionId} is ${subscription.status}, not ACTIVE`);
    const plan = this.#plan(subscription);
    const time = paypalTime();
    subscription.cyclesCompleted += 1;
    subscription.lastPayment = { amount: plan.price, time };
    subscription.nextBillingTime = advance(subscription.nextBillingTime ?? time, plan.interval.unit, plan.interval.count);
    subscription.updateTime = time;
    const saleId = paypalId();
    const fee = Math.round(toCents(plan.price.value) * 0.0349) + 49;
    const sale: Record<string, unknown> = {
      id: saleId,
      state: 'completed',
      amount: { total: plan.price.value, currency: plan.price.currency_code, details: { subtotal: plan.price.value } },
      payment_mode: 'INSTANT_TRANSFER',
      protection_eligibility: 'ELIGIBLE',
      protection_eligibility_type: 'ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE',
      transaction_fee: { value: fromCents(fee), currency: plan.price.currency_code },
      billing_agreement_id: subscription.id,
      ...(subscription.customId === undefined ? {} : { custom: subscription.customId }),
      create_time: time,
      update_time: time,
      links: [
        { href: `${this.baseUrl}/v1/payments/sale/${saleId}`, rel: 'self', method: 'GET' },
        { href: `${this.baseUrl}/v1/payments/sale/${saleId}/refund`, rel: 'refund', method: 'POST' },
      ],
    };
    this.sales.push(sale);
    this.emit('PAYMENT.SALE.COMPLETED', sale);
    return sale;
  }

  /** A cycle's payment is declined; PayPal keeps the subscription ACTIVE and retries, and says so. */
  failRenewal(subscriptionId: string): void {
    const subscription = this.#get(subscriptionId);
    const plan = this.#plan(subscription);
    subscription.failedPayments += 1;
    subscription.lastFailedPayment = { amount: plan.price, time: paypalTime(), reason_code: 'PAYMENT_DENIED' };
    subscription.updateTime = subscription.lastFailedPayment.time;
    this.emit('BILLING.SUBSCRIPTION.PAYMENT.FAILED', this.subscriptionJson(subscription));
  }

  subscriptionJson(subscription: Subscription): Record<string, unknown> {
    const plan = this.#plan(subscription);
    const self = `${this.baseUrl}/v1/billing/subscriptions/${subscription.id}`;
    const links: Link[] =
      subscription.status === 'APPROVAL_PENDING'
        ? [
            { href: this.#approveUrl(subscription), rel: 'approve', method: 'GET' },
            { href: self, rel: 'edit', method: 'PATCH' },
            { href: self, rel: 'self', method: 'GET' },
          ]
        : [
            ...(subscription.status === 'ACTIVE' ? [{ href: `${self}/cancel`, rel: 'cancel', method: 'POST' }] : []),
            { href: self, rel: 'self', method: 'GET' },
          ];
    const active = subscription.status !== 'APPROVAL_PENDING';
    return {
      id: subscription.id,
      plan_id: subscription.planId,
      status: subscription.status,
      status_update_time: subscription.statusUpdateTime,
      ...(subscription.customId === undefined ? {} : { custom_id: subscription.customId }),
      ...(subscription.startTime ? { start_time: subscription.startTime } : {}),
      quantity: '1',
      plan_overridden: false,
      ...(active
        ? {
            subscriber: {
              email_address: 'sb-buyer@personal.example.com',
              payer_id: 'FAKEPAYER0001',
              name: { given_name: 'John', surname: 'Doe' },
            },
            billing_info: {
              outstanding_balance: { currency_code: plan.price.currency_code, value: '0.0' },
              cycle_executions: [
                {
                  tenure_type: 'REGULAR',
                  sequence: 1,
                  cycles_completed: subscription.cyclesCompleted,
                  cycles_remaining: 0,
                  current_pricing_scheme_version: 1,
                  total_cycles: 0,
                },
              ],
              ...(subscription.lastPayment ? { last_payment: subscription.lastPayment } : {}),
              ...(subscription.lastFailedPayment ? { last_failed_payment: subscription.lastFailedPayment } : {}),
              ...(subscription.status === 'ACTIVE' && subscription.nextBillingTime
                ? { next_billing_time: subscription.nextBillingTime }
                : {}),
              failed_payments_count: subscription.failedPayments,
            },
          }
        : {}),
      create_time: subscription.createTime,
      update_time: subscription.updateTime,
      links,
    };
  }

  #approveUrl(subscription: Subscription): string {
    return `${this.baseUrl}/webapps/billing/subscriptions?ba_token=${subscription.baToken}&subscription_id=${subscription.id}`;
  }

  #get(subscriptionId: string): Subscription {
    const subscription = this.#subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`fake PayPal: no subscription ${subscriptionId}`);
    return subscription;
  }

  #plan(subscription: Subscription): Plan {
    const plan = this.#plans.get(subscription.planId);
    if (!plan) throw new Error(`fake PayPal: subscription ${subscription.id} has no plan`);
    return plan;
  }

  async #createProduct(request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (typeof body.name !== 'string') return paypalError('INVALID_REQUEST', [missing('/name')]);
    const id = `PROD-${paypalId(17)}`;
    const time = paypalTime();
    const product = {
      id,
      name: body.name,
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      type: typeof body.type === 'string' ? body.type : 'PHYSICAL',
      ...(typeof body.category === 'string' ? { category: body.category } : {}),
      create_time: time,
      update_time: time,
      links: [{ href: `${this.baseUrl}/v1/catalogs/products/${id}`, rel: 'self', method: 'GET' }],
    };
    this.#products.set(id, product);
    return Response.json(product, { status: 201 });
  }

  async #createPlan(request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (typeof body.product_id !== 'string') return paypalError('INVALID_REQUEST', [missing('/product_id')]);
    if (!this.#products.has(body.product_id)) return notFound('product');
    if (typeof body.name !== 'string') return paypalError('INVALID_REQUEST', [missing('/name')]);
    type Cycle = {
      tenure_type?: string;
      frequency?: { interval_unit?: string; interval_count?: number };
      pricing_scheme?: { fixed_price?: Partial<Money> };
    };
    const cycles = Array.isArray(body.billing_cycles) ? (body.billing_cycles as Cycle[]) : [];
    const regular = cycles.find((cycle) => cycle.tenure_type === 'REGULAR');
    if (!regular) return paypalError('INVALID_REQUEST', [missing('/billing_cycles')]);
    const fixed = regular.pricing_scheme?.fixed_price;
    if (!fixed || !isMoneyValue(fixed.value) || typeof fixed.currency_code !== 'string') {
      return paypalError('INVALID_REQUEST', [missing('/billing_cycles/0/pricing_scheme/fixed_price')]);
    }
    const unit = regular.frequency?.interval_unit as IntervalUnit;
    if (!INTERVALS.has(unit))
      return paypalError('INVALID_REQUEST', [invalid('/billing_cycles/0/frequency/interval_unit', 'Invalid interval unit.')]);
    const id = `P-${paypalId(24)}`;
    const time = paypalTime();
    const json = {
      id,
      product_id: body.product_id,
      name: body.name,
      status: typeof body.status === 'string' ? body.status : 'ACTIVE',
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      usage_type: 'LICENSED',
      billing_cycles: cycles,
      payment_preferences: body.payment_preferences ?? { auto_bill_outstanding: true, payment_failure_threshold: 0 },
      quantity_supported: false,
      create_time: time,
      update_time: time,
      links: [{ href: `${this.baseUrl}/v1/billing/plans/${id}`, rel: 'self', method: 'GET' }],
    };
    const price = { currency_code: fixed.currency_code, value: fixed.value };
    this.#plans.set(id, { json, price, interval: { unit, count: Number(regular.frequency?.interval_count ?? 1) } });
    return Response.json(json, { status: 201 });
  }

  async #createSubscription(request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (typeof body.plan_id !== 'string') return paypalError('INVALID_REQUEST', [missing('/plan_id')]);
    if (!this.#plans.has(body.plan_id)) {
      return paypalError('UNPROCESSABLE_ENTITY', [{ issue: 'INVALID_PLAN_ID', description: 'Plan id is invalid or does not exist.' }]);
    }
    const context = (body.application_context ?? {}) as Record<string, unknown>;
    const time = paypalTime();
    const subscription: Subscription = {
      id: `I-${paypalId(12)}`,
      planId: body.plan_id,
      customId: typeof body.custom_id === 'string' ? body.custom_id : undefined,
      status: 'APPROVAL_PENDING',
      baToken: `BA-${paypalId(17)}`,
      ecToken: paypalId(17),
      returnUrl: typeof context.return_url === 'string' ? context.return_url : undefined,
      cancelUrl: typeof context.cancel_url === 'string' ? context.cancel_url : undefined,
      createTime: time,
      updateTime: time,
      statusUpdateTime: time,
      startTime: undefined,
      cyclesCompleted: 0,
      failedPayments: 0,
      lastPayment: undefined,
      lastFailedPayment: undefined,
      nextBillingTime: undefined,
    };
    this.#subscriptions.set(subscription.id, subscription);
    const json = this.subscriptionJson(subscription);
    const minimal = !(request.headers.get('prefer') ?? '').includes('return=representation');
    const { id, status, status_update_time, plan_id, plan_overridden, create_time, links } = json;
    return Response.json(minimal ? { id, status, status_update_time, plan_id, plan_overridden, create_time, links } : json, {
      status: 201,
    });
  }

  /** POST /v1/payments/sale/:id/refund (Payments v1): all that is left, or `amount.total`; PAYMENT.SALE.REFUNDED follows. */
  async #refundSale(saleId: string, request: Request): Promise<Response> {
    const sale = this.sales.find((each) => each.id === saleId);
    if (!sale) return notFound('sale');
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    const amount = sale.amount as { total: string; currency: string };
    const refunded = this.#refundedCents.get(saleId) ?? 0;
    const left = toCents(amount.total) - refunded;
    const asked = (body.amount as { total?: string } | undefined)?.total;
    const cents = asked === undefined ? left : toCents(asked);
    if (left <= 0)
      return paypalError('UNPROCESSABLE_ENTITY', [{ issue: 'TRANSACTION_REFUSED', description: 'The sale was refunded already' }]);
    if (!(cents > 0 && cents <= left))
      return paypalError('INVALID_REQUEST', [invalid('/amount/total', 'Refund amount exceeds what is left')]);
    this.#refundedCents.set(saleId, refunded + cents);
    if (refunded + cents === toCents(amount.total)) sale.state = 'refunded';
    const time = paypalTime();
    const refund = {
      id: paypalId(),
      state: 'completed',
      amount: { total: fromCents(cents), currency: amount.currency },
      sale_id: saleId,
      parent_payment: `PAYID-${paypalId(24)}`,
      total_refunded_amount: { value: fromCents(refunded + cents), currency: amount.currency },
      create_time: time,
      update_time: time,
      links: [{ href: `${this.baseUrl}/v1/payments/sale/${saleId}`, rel: 'sale', method: 'GET' }],
    };
    this.saleRefunds.push(refund);
    this.emit('PAYMENT.SALE.REFUNDED', refund);
    return Response.json(refund, { status: 201 });
  }

  /** GET …/transactions: the cycles' payments between start_time and end_time (both required, as on PayPal). */
  #transactions(subscription: Subscription, query: URLSearchParams): Response {
    const start = Date.parse(query.get('start_time') ?? '');
    const end = Date.parse(query.get('end_time') ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) return paypalError('INVALID_REQUEST', [missing('/start_time')]);
    const transactions = this.sales
      .filter((sale) => sale.billing_agreement_id === subscription.id)
      .filter((sale) => {
        const time = Date.parse(String(sale.create_time));
        return time >= start && time <= end;
      })
      .map((sale) => {
        const amount = sale.amount as { total: string; currency: string };
        const fee = sale.transaction_fee as Money;
        return {
          id: sale.id,
          status: sale.state === 'completed' ? 'COMPLETED' : String(sale.state).toUpperCase(),
          amount_with_breakdown: {
            gross_amount: { currency_code: amount.currency, value: amount.total },
            fee_amount: fee,
            net_amount: { currency_code: amount.currency, value: fromCents(toCents(amount.total) - toCents(fee.value)) },
          },
          payer_name: { given_name: 'John', surname: 'Doe' },
          payer_email: 'sb-buyer@personal.example.com',
          time: sale.create_time,
        };
      });
    return Response.json({ transactions, total_items: transactions.length, total_pages: 1 });
  }

  async #cancel(subscription: Subscription, request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (subscription.status !== 'ACTIVE') {
      return paypalError('UNPROCESSABLE_ENTITY', [
        {
          issue: 'SUBSCRIPTION_STATUS_INVALID',
          description: 'Invalid subscription status for cancel action; subscription status should be active or suspended.',
        },
      ]);
    }
    subscription.status = 'CANCELLED';
    subscription.statusUpdateTime = paypalTime();
    subscription.updateTime = subscription.statusUpdateTime;
    this.emit('BILLING.SUBSCRIPTION.CANCELLED', this.subscriptionJson(subscription));
    return new Response(null, { status: 204 });
  }
}
