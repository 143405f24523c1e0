// A person's treats as the protocol shows them: balances, the history of movements, and tips to the
// author of a post or reel. Every movement goes through the ledger (ledger.ts); this module decides
// who may move what (the post must be one the tipper may see and not their own; the tip within its
// limits) and tells both people their new balances on their user topics once it is committed.
import type { Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { treatCalls } from '../../protocol/calls/treats.ts';
import { TREAT_LIMITS } from '../../protocol/lists.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { notBlockedWith } from '../graph/relations.ts';
import type { SocialDeps } from '../people/context.ts';
import { summariesById } from '../people/summaries.ts';
import { decodeCursor, pageOf } from '../platform/cursor.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { visibleTo } from '../posts/visibility.ts';
import { Allowance } from './allowance.ts';
import { earned, Ledger, platform, type Transfer, wallet } from './ledger.ts';
import type { TreatTransferKind } from './schema.ts';

type Request<N extends keyof typeof treatCalls> = Static<(typeof treatCalls)[N]['request']>;
type Response<N extends keyof typeof treatCalls> = Static<(typeof treatCalls)[N]['response']>;
type Deps = Pick<SocialDeps, 'db' | 'limiter' | 'topics' | 'log' | 'entitlements'>;

/** The tipped person's share of a tip, rounded in their favour. */
const creatorShare = (treats: number) => Math.ceil((treats * TREAT_LIMITS.creatorSharePercent) / 100);

export class Treats {
  readonly #deps: Deps;
  readonly ledger: Ledger;
  readonly allowance: Allowance;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.ledger = new Ledger(deps.db);
    this.allowance = new Allowance(deps.db, this.ledger, deps.entitlements);
  }

  balance(userId: string): Promise<Response<'treats.balance'>> {
    return this.ledger.balances(userId);
  }

  /** This month's allowance: what the plan grants, what was claimed, what is left. */
  allowanceOf(userId: string): Promise<Response<'treats.allowance'>> {
    return this.allowance.state(userId);
  }

  /** Claims what this month's allowance still holds; claiming again changes nothing. */
  async claimAllowance(userId: string): Promise<Response<'treats.claimAllowance'>> {
    const granted = await this.allowance.grant(userId);
    const balances = await this.ledger.balances(userId);
    const last = granted.at(-1);
    if (last !== undefined) await emit(this.#deps, 'user', userId, 'treats.changed', { ...balances, transferId: last, kind: 'allowance' });
    return { ...balances, allowance: await this.allowance.state(userId) };
  }

  async history(userId: string, request: Request<'treats.history'>): Promise<Response<'treats.history'>> {
    const after = decodeCursor(request.cursor, 1);
    if (after !== undefined && !/^\d{1,18}$/.test(after[0] as string))
      throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
    const limit = TREAT_LIMITS.historyPage;
    const rows = rowsOf<{
      id: string | number;
      transfer_id: string;
      account: 'wallet' | 'earned';
      kind: TreatTransferKind;
      amount: string | number;
      balance_after: string | number;
      created_at: string | Date;
      memo: Record<string, string | number>;
      by_user_id: string | null;
    }>(
      await this.#deps.db.execute(sql`
        select e.id, e.transfer_id, a.kind as account, t.kind, e.amount, e.balance_after, e.created_at, t.memo, t.by_user_id
        from treat_entries e join treat_accounts a on a.id = e.account_id join treat_transfers t on t.id = e.transfer_id
        where a.owner_id = ${userId} ${request.account === undefined ? sql`` : sql`and a.kind = ${request.account}`}
          ${after === undefined ? sql`` : sql`and e.id < ${after[0]}::bigint`}
        order by e.id desc limit ${limit + 1}`),
    );
    // The other person of a tip, unless a block now stands between them.
    const others = new Set(
      rows.flatMap((row) => {
        if (row.kind !== 'tip') return [];
        const other = row.account === 'earned' ? row.by_user_id : (row.memo.toUserId as string | undefined);
        return other === undefined || other === null ? [] : [other];
      }),
    );
    const visible = new Set(
      others.size === 0
        ? []
        : rowsOf<{ id: string }>(
            await this.#deps.db.execute(
              sql`select u.id from users u where u.id in (${sql.join(
                [...others].map((id) => sql`${id}::uuid`),
                sql`, `,
              )}) and ${notBlockedWith(userId, sql`u.id`)}`,
            ),
          ).map((row) => row.id),
    );
    const people = await summariesById(this.#deps.db, [...visible]);
    return pageOf(
      rows,
      limit,
      (row) => [String(row.id)],
      (row) => {
        const other = row.kind !== 'tip' ? undefined : row.account === 'earned' ? row.by_user_id : (row.memo.toUserId as string);
        return {
          id: String(row.id),
          transferId: row.transfer_id,
          account: row.account,
          kind: row.kind,
          amount: Number(row.amount),
          balanceAfter: Number(row.balance_after),
          at: new Date(row.created_at).toISOString(),
          counterpart: (other === undefined || other === null ? undefined : people.get(other)) ?? null,
          postId: typeof row.memo.postId === 'string' ? row.memo.postId : null,
          note: typeof row.memo.note === 'string' ? row.memo.note : null,
        };
      },
    );
  }

  async tip(userId: string, request: Request<'treats.tip'>): Promise<Response<'treats.tip'>> {
    const [post] = rowsOf<{ author_id: string }>(
      await this.#deps.db.execute(sql`select p.author_id from posts p where p.id = ${request.postId} and ${visibleTo(userId)}`),
    );
    if (post === undefined) throw new NotFoundError('post');
    if (post.author_id === userId) throw new InvalidInputError('one cannot tip oneself', { field: 'postId' });
    await this.#deps.limiter.hit({ name: 'treats-tip', max: TREAT_LIMITS.tipsPerMinute, windowMs: 60_000 }, userId);
    const share = creatorShare(request.treats);
    const transfer = await this.ledger.transfer({
      kind: 'tip',
      key: `tip:${userId}:${request.clientId}`,
      byUserId: userId,
      memo: { postId: request.postId, toUserId: post.author_id, ...(request.note === undefined ? {} : { note: request.note }) },
      legs: [
        { ...wallet(userId), amount: -request.treats },
        { ...earned(post.author_id), amount: share },
        ...(request.treats > share ? [{ ...platform('platform_fees'), amount: request.treats - share }] : []),
      ],
    });
    const balances = await this.ledger.balances(userId);
    if (transfer.created) await Promise.all([this.#told(userId, transfer, balances), this.#told(post.author_id, transfer)]);
    return { transferId: transfer.id, balances };
  }

  /** Tells a person their balances after a transfer that moved their treats. */
  async #told(userId: string, transfer: Transfer, known?: Response<'treats.balance'>): Promise<void> {
    const balances = known ?? (await this.ledger.balances(userId));
    await emit(this.#deps, 'user', userId, 'treats.changed', { ...balances, transferId: transfer.id, kind: transfer.kind });
  }
}
