// Recurring payments in the fake Mercado Pago (`/preapproval`, subscriptions without a plan): a preapproval goes
// from `pending` through the buyer's authorization to `authorized`, then `paused` or `cancelled` (final). Each charge
// is an "authorized payment" (`GET /authorized_payments/:id`, status `processed` or `recycling` while MP retries a
// declined card) with a payment behind it, notified as `subscription_authorized_payment`.
import { checkoutPage, formFields, notFoundPage, redirect, withQuery } from './fake-checkout-page.ts';

export interface PaymentPort {
  /** Creates a payment and returns its id (the fake's payments module owns them). */
  create(input: {
    amount: number;
    currency: string;
    externalReference: string | undefined;
    description: string;
    metadata: Record<string, unknown>;
    outcome: 'approved' | 'rejected';
    notificationUrl: string | undefined;
  }): { id: number; status: string; status_detail: string };
  notify(type: 'subscription_preapproval' | 'subscription_authorized_payment', action: string, id: string, url: string | undefined): void;
  error(status: number, error: string, message: string): Response;
}

type PreapprovalStatus = 'pending' | 'authorized' | 'paused' | 'cancelled';

const randomHex = () => crypto.randomUUID().replaceAll('-', '');
const addMonths = (iso: string, months: number) => {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
};

export class MercadoPagoPreapprovals {
  readonly #preapprovals = new Map<string, Record<string, unknown> & { status: PreapprovalStatus }>();
  readonly #authorized = new Map<string, Record<string, unknown>>();
  #nextAuthorizedId = 6_000_000_000 + Math.floor(Math.random() * 1_000_000);

  constructor(
    readonly baseUrl: string,
    readonly payments: PaymentPort,
    readonly collectorId: number,
  ) {}

  async route(request: Request, pathname: string): Promise<Response | undefined> {
    const method = request.method;
    if (method === 'POST' && (pathname === '/preapproval' || pathname === '/preapproval/')) return this.#create(request);
    if (method === 'GET' && pathname === '/preapproval/search') return this.#search(new URL(request.url).searchParams);
    const one = /^\/preapproval\/([^/]+)$/.exec(pathname);
    if (one) {
      const preapproval = this.#preapprovals.get(one[1] ?? '');
      if (!preapproval) return this.payments.error(404, 'not_found', 'The preapproval was not found');
      if (method === 'GET') return Response.json(preapproval);
      if (method === 'PUT') return this.#update(preapproval, (await request.json()) as Record<string, unknown>);
    }
    const authorized = /^\/authorized_payments\/([^/]+)$/.exec(pathname);
    if (method === 'GET' && authorized) {
      const found = this.#authorized.get(authorized[1] ?? '');
      return found ? Response.json(found) : this.payments.error(404, 'not_found', 'Authorized payment not found');
    }
    return undefined;
  }

  /** The buyer's subscription page at the init_point, and what its buttons post. */
  async page(request: Request, pathname: string): Promise<Response | undefined> {
    if (request.method === 'GET' && pathname === '/subscriptions/checkout') {
      const preapproval = this.#preapprovals.get(new URL(request.url).searchParams.get('preapproval_id') ?? '');
      if (!preapproval) return notFoundPage('subscription');
      const recurring = preapproval.auto_recurring as Record<string, unknown>;
      return checkoutPage({
        title: 'Mercado Pago: subscribe',
        lines: [`${String(preapproval.reason)}: ${recurring.transaction_amount} ${recurring.currency_id} every month`],
        fields: { preapproval_id: String(preapproval.id) },
        buttons: [
          { label: 'Subscribe', action: '/subscriptions/checkout/authorize' },
          { label: 'Cancel', action: '/subscriptions/checkout/cancel' },
        ],
      });
    }
    if (request.method !== 'POST' || !pathname.startsWith('/subscriptions/checkout/')) return undefined;
    const preapproval = this.#preapprovals.get((await formFields(request)).preapproval_id ?? '');
    if (!preapproval) return notFoundPage('subscription');
    if (pathname.endsWith('/authorize')) this.authorize(String(preapproval.id));
    return redirect(withQuery(String(preapproval.back_url), { preapproval_id: String(preapproval.id) }));
  }

  authorize(preapprovalId: string): void {
    const preapproval = this.#get(preapprovalId);
    if (preapproval.status !== 'pending') return;
    this.#set(preapproval, { status: 'authorized', next_payment_date: new Date().toISOString(), payer_id: 123_456_789 });
    this.payments.notify('subscription_preapproval', 'updated', preapprovalId, undefined);
  }

  /** A monthly charge: `processed` with an approved payment, or `recycling` with a rejected one. */
  charge(preapprovalId: string, outcome: 'approved' | 'rejected' = 'approved'): Record<string, unknown> {
    const preapproval = this.#get(preapprovalId);
    if (preapproval.status !== 'authorized') throw new Error(`fake Mercado Pago: preapproval ${preapprovalId} is ${preapproval.status}`);
    const recurring = preapproval.auto_recurring as { transaction_amount: number; currency_id: string };
    const payment = this.payments.create({
      amount: recurring.transaction_amount,
      currency: recurring.currency_id,
      externalReference: preapproval.external_reference as string | undefined,
      description: String(preapproval.reason),
      metadata: { preapproval_id: preapprovalId },
      outcome,
      notificationUrl: undefined,
    });
    const now = new Date().toISOString();
    const id = this.#nextAuthorizedId++;
    const authorizedPayment = {
      id,
      preapproval_id: preapprovalId,
      type: 'scheduled',
      status: outcome === 'approved' ? 'processed' : 'recycling',
      date_created: now,
      last_modified: now,
      transaction_amount: recurring.transaction_amount,
      currency_id: recurring.currency_id,
      reason: preapproval.reason,
      external_reference: preapproval.external_reference ?? null,
      payment: { id: payment.id, status: payment.status, status_detail: payment.status_detail },
      rejection_code: outcome === 'approved' ? null : payment.status_detail,
      retry_attempt: outcome === 'approved' ? 0 : 1,
      next_retry_date: outcome === 'approved' ? null : addMonths(now, 0),
      debit_date: now,
      payment_method_id: 'account_money',
    };
    this.#authorized.set(String(id), authorizedPayment);
    if (outcome === 'approved') {
      const summary = preapproval.summarized as Record<string, number | string | null>;
      this.#set(preapproval, {
        next_payment_date: addMonths(String(preapproval.next_payment_date ?? now), 1),
        summarized: {
          ...summary,
          charged_quantity: Number(summary.charged_quantity ?? 0) + 1,
          charged_amount: Number(summary.charged_amount ?? 0) + recurring.transaction_amount,
          last_charged_date: now,
          last_charged_amount: recurring.transaction_amount,
        },
      });
    }
    this.payments.notify('subscription_authorized_payment', 'created', String(id), undefined);
    return authorizedPayment;
  }

  #get(id: string) {
    const preapproval = this.#preapprovals.get(id);
    if (!preapproval) throw new Error(`fake Mercado Pago: no preapproval ${id}`);
    return preapproval;
  }

  #set(preapproval: Record<string, unknown>, changes: Record<string, unknown>): void {
    Object.assign(preapproval, changes, { last_modified: new Date().toISOString() });
  }

  async #create(request: Request): Promise<Response> {
    const body = (await request.json()) as Record<string, unknown>;
    const recurring = body.auto_recurring as Record<string, unknown> | undefined;
    if (typeof body.back_url !== 'string') return this.payments.error(400, 'bad_request', 'back_url is required');
    if (typeof body.payer_email !== 'string') return this.payments.error(400, 'bad_request', 'payer_email is required');
    if (!recurring || typeof recurring.transaction_amount !== 'number' || typeof recurring.currency_id !== 'string') {
      return this.payments.error(400, 'bad_request', 'auto_recurring.transaction_amount and currency_id are required');
    }
    if (recurring.frequency_type !== 'months' && recurring.frequency_type !== 'days') {
      return this.payments.error(400, 'bad_request', 'auto_recurring.frequency_type must be months or days');
    }
    if (body.status !== undefined && body.status !== 'pending') {
      return this.payments.error(400, 'bad_request', 'card_token_id is required to create an authorized preapproval');
    }
    const id = randomHex();
    const now = new Date().toISOString();
    const preapproval = {
      id,
      payer_id: null,
      payer_email: body.payer_email,
      back_url: body.back_url,
      collector_id: this.collectorId,
      application_id: 1_234_567_890,
      status: 'pending' as PreapprovalStatus,
      reason: body.reason ?? '',
      external_reference: body.external_reference ?? null,
      date_created: now,
      last_modified: now,
      init_point: `${this.baseUrl}/subscriptions/checkout?preapproval_id=${id}`,
      auto_recurring: { frequency: Number(recurring.frequency ?? 1), ...recurring },
      summarized: {
        quotas: null,
        charged_quantity: 0,
        pending_charge_quantity: null,
        charged_amount: 0,
        pending_charge_amount: null,
        semaphore: null,
        last_charged_date: null,
        last_charged_amount: null,
      },
      next_payment_date: null,
      payment_method_id: null,
    };
    this.#preapprovals.set(id, preapproval);
    return Response.json(preapproval, { status: 201 });
  }

  #update(preapproval: Record<string, unknown> & { status: PreapprovalStatus }, body: Record<string, unknown>): Response {
    const next = body.status as PreapprovalStatus | undefined;
    if (preapproval.status === 'cancelled') return this.payments.error(400, 'bad_request', 'You can not modify a cancelled preapproval');
    if (next !== undefined && !['cancelled', 'paused', 'authorized'].includes(next)) {
      return this.payments.error(400, 'bad_request', `Invalid status ${String(next)}`);
    }
    const { status: _status, ...rest } = body;
    this.#set(preapproval, { ...rest, ...(next ? { status: next } : {}) });
    this.payments.notify('subscription_preapproval', 'updated', String(preapproval.id), undefined);
    return Response.json(preapproval);
  }

  #search(query: URLSearchParams): Response {
    const filters = ['external_reference', 'payer_email', 'status', 'preapproval_plan_id'].filter((key) => query.has(key));
    const results = [...this.#preapprovals.values()].filter((preapproval) =>
      filters.every((key) => String(preapproval[key]) === query.get(key)),
    );
    const offset = Number(query.get('offset') ?? 0);
    const limit = Number(query.get('limit') ?? 30);
    return Response.json({ paging: { offset, limit, total: results.length }, results: results.slice(offset, offset + limit) });
  }
}
