// Verification: people on a plan with `verification` ask for the verified mark; admins approve or
// reject each request (admin-routes.ts), or grant and withdraw the mark directly
// (profile.setVerified). Owns the requests and the audit of every decision (schema.ts); the mark
// itself is written on the profile, where person views read it (people/summaries.ts).
//
// The plan: asking needs `verification` (PLAN_REQUIRED otherwise). An approved mark shows while
// the person's plan has `verification`; when the plan ends the approval is kept and the mark
// hidden, so a new subscription brings it back without asking again. A mark granted directly by
// an admin shows whatever the plan.
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { VERIFICATION_LIMITS } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { type Entitlements, livePlanOf } from '../payments/entitlements.ts';
import { profiles } from '../people/schema.ts';
import { badgesOf } from '../people/summaries.ts';
import type { Database } from '../platform/db/index.ts';
import { violatedUniqueConstraint } from '../platform/db/unique.ts';
import { checkPlainText } from '../platform/input.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { AlreadyVerifiedError, VerificationDecidedError, VerificationPendingError } from './errors.ts';
import { type VerificationAction, verificationAudit, verificationRequests } from './schema.ts';

export interface VerificationDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  entitlements: Entitlements;
  notifier: Notifier;
}

type RequestView = CallResponse<'verification.request'>;
type RequestRow = typeof verificationRequests.$inferSelect;

const requestView = (row: RequestRow): RequestView => ({
  id: row.id,
  category: row.category,
  note: row.note,
  links: row.links,
  status: row.status,
  reason: row.reason,
  createdAt: row.createdAt.toISOString(),
  decidedAt: row.decidedAt?.toISOString() ?? null,
});

/** A pending request in the admins' queue: the request and who asked. */
export type QueuedRequest = RequestView & { user: { id: string; username: string } };

/** The links as given, each an https URL with a host (the schema checked the shape). */
function checkLinks(links: readonly string[]): string[] {
  return links.map((link) => {
    let url: URL;
    try {
      url = new URL(link);
    } catch (error) {
      throw new InvalidInputError('each link must be an https address', { field: 'links', cause: error });
    }
    if (url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '')
      throw new InvalidInputError('each link must be an https address', { field: 'links' });
    return url.href;
  });
}

export class Verification {
  readonly #deps: VerificationDeps;

  constructor(deps: VerificationDeps) {
    this.#deps = deps;
  }

  /** Whether the person's verified mark shows now (by the rule person views follow). */
  async #verifiedNow(userId: string): Promise<boolean> {
    const [row] = await this.#deps.db
      .select({ verifiedAt: profiles.verifiedAt, verifiedWithPlan: profiles.verifiedWithPlan, plan: livePlanOf(users.id) })
      .from(users)
      .leftJoin(profiles, eq(profiles.userId, users.id))
      .where(eq(users.id, userId));
    return row !== undefined && badgesOf(row).includes('verified');
  }

  async request(userId: string, body: CallRequest<'verification.request'>): Promise<RequestView> {
    await this.#deps.entitlements.require(userId, 'verification');
    const note = (body.note ?? '').trim();
    checkPlainText(note, 'note');
    const links = checkLinks(body.links ?? []);
    if (await this.#verifiedNow(userId)) throw new AlreadyVerifiedError();
    const pending = await this.#pendingOf(userId);
    if (pending !== undefined) throw new VerificationPendingError(pending.id);
    try {
      const [row] = await this.#deps.db
        .insert(verificationRequests)
        .values({ id: Bun.randomUUIDv7(), userId, category: body.category, note, links })
        .returning();
      this.#deps.log.info({ user: userId, request: row?.id }, `verification.request() | asked [user:${userId}] [request:${row?.id}]`);
      return requestView(row as RequestRow);
    } catch (error) {
      // Two requests at once: the one-pending index lets one through.
      if (violatedUniqueConstraint(error) !== 'verification_requests_pending') throw error;
      const raced = await this.#pendingOf(userId);
      throw new VerificationPendingError(raced?.id ?? '');
    }
  }

  async #pendingOf(userId: string): Promise<RequestRow | undefined> {
    const [row] = await this.#deps.db
      .select()
      .from(verificationRequests)
      .where(and(eq(verificationRequests.userId, userId), eq(verificationRequests.status, 'pending')));
    return row;
  }

  async status(userId: string): Promise<CallResponse<'verification.status'>> {
    const [[latest], verified, eligible] = await Promise.all([
      this.#deps.db
        .select()
        .from(verificationRequests)
        .where(eq(verificationRequests.userId, userId))
        .orderBy(desc(verificationRequests.id))
        .limit(1),
      this.#verifiedNow(userId),
      this.#deps.entitlements.has(userId, 'verification'),
    ]);
    return { request: latest === undefined ? null : requestView(latest), verified, eligible };
  }

  /** Pending requests, oldest first, `VERIFICATION_LIMITS.page` a page after the request `after`. */
  async queue(after?: string): Promise<{ items: QueuedRequest[]; after: string | null }> {
    const rows = await this.#deps.db
      .select({ request: verificationRequests, username: users.username })
      .from(verificationRequests)
      .innerJoin(users, eq(users.id, verificationRequests.userId))
      .where(and(eq(verificationRequests.status, 'pending'), after === undefined ? undefined : gt(verificationRequests.id, after)))
      .orderBy(asc(verificationRequests.id))
      .limit(VERIFICATION_LIMITS.page);
    return {
      items: rows.map((row) => ({ ...requestView(row.request), user: { id: row.request.userId, username: row.username } })),
      after: rows.length === VERIFICATION_LIMITS.page ? (rows.at(-1)?.request.id ?? null) : null,
    };
  }

  /** Approves a pending request: the person is verified (while their plan has `verification`). */
  approve(requestId: string, adminId: string): Promise<RequestView> {
    return this.#decide(requestId, adminId, 'approved', null);
  }

  reject(requestId: string, adminId: string, reason: string): Promise<RequestView> {
    const cleaned = reason.trim();
    checkPlainText(cleaned, 'reason');
    if (cleaned === '') throw new InvalidInputError('a rejection says why', { field: 'reason' });
    return this.#decide(requestId, adminId, 'rejected', cleaned);
  }

  async #decide(requestId: string, adminId: string, status: 'approved' | 'rejected', reason: string | null): Promise<RequestView> {
    const { row: decided, notify } = await this.#deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(verificationRequests)
        .set({ status, reason, decidedAt: new Date(), decidedBy: adminId })
        .where(and(eq(verificationRequests.id, requestId), eq(verificationRequests.status, 'pending')))
        .returning();
      if (row === undefined) {
        const [found] = await tx
          .select({ status: verificationRequests.status })
          .from(verificationRequests)
          .where(eq(verificationRequests.id, requestId));
        if (found === undefined) throw new NotFoundError('verification request');
        throw new VerificationDecidedError(found.status);
      }
      if (status === 'approved') {
        // A mark an admin granted directly stays unconditional; otherwise it holds with the plan.
        await tx
          .insert(profiles)
          .values({ userId: row.userId, verifiedAt: new Date(), verifiedWithPlan: true })
          .onConflictDoUpdate({
            target: profiles.userId,
            set: {
              verifiedAt: sql`coalesce(${profiles.verifiedAt}, excluded.verified_at)`,
              verifiedWithPlan: sql`${profiles.verifiedAt} is null or ${profiles.verifiedWithPlan}`,
              updatedAt: new Date(),
            },
          });
      }
      await tx.insert(verificationAudit).values({ userId: row.userId, requestId, adminId, action: status, reason });
      // The person is told as a notification too (in the app, by push and email), from no one:
      // which admin decided stays in the audit.
      const notify = await this.#deps.notifier.prepare(tx, {
        userId: row.userId,
        type: status === 'approved' ? 'verification.approved' : 'verification.rejected',
        actorId: null,
        data: status === 'approved' ? { requestId } : { requestId, reason: reason ?? '' },
      });
      return { row, notify };
    });
    this.#deps.log.info(
      { request: requestId, user: decided.userId, by: adminId, decision: status },
      `verification.decide() | ${status} [request:${requestId}] [user:${decided.userId}] [by:${adminId}]`,
    );
    this.#deps.notifier.dispatch([notify]);
    const view = requestView(decided);
    await emit(this.#deps, 'user', decided.userId, 'verification.changed', { request: view });
    if (status === 'approved')
      await emit(this.#deps, 'profile', decided.userId, 'profile.changed', { userId: decided.userId, at: Date.now() });
    return view;
  }

  /** An admin grants the mark directly (shown whatever the plan) or withdraws it (an approval too); audited. */
  async setDirectly(userId: string, verified: boolean, adminId: string): Promise<{ userId: string; verified: boolean }> {
    await this.#deps.db.transaction(async (tx) => {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
      if (user === undefined) throw new NotFoundError('user');
      const verifiedAt = verified ? new Date() : null;
      await tx
        .insert(profiles)
        .values({ userId, verifiedAt, verifiedWithPlan: false })
        .onConflictDoUpdate({ target: profiles.userId, set: { verifiedAt, verifiedWithPlan: false, updatedAt: new Date() } });
      const action: VerificationAction = verified ? 'granted' : 'withdrawn';
      await tx.insert(verificationAudit).values({ userId, adminId, action });
    });
    this.#deps.log.info(
      { user: userId, by: adminId, verified },
      `verification.setDirectly() | ${verified ? 'granted' : 'withdrawn'} [user:${userId}] [by:${adminId}]`,
    );
    await emit(this.#deps, 'profile', userId, 'profile.changed', { userId, at: Date.now() });
    return { userId, verified };
  }
}
