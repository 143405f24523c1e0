// Calls of treats, the platform's virtual currency: a person's balances, the history of what moved,
// and tipping a post's or reel's author. Every movement is a transfer in a double-entry ledger
// (server/treats/ledger.ts): treats are never created or lost by a call, and a wallet never goes
// below zero, however many spends arrive at once.
import { PLAN_IDS, PLANS, TREAT_LIMITS, TREAT_TRANSFER_KINDS } from '../lists.ts';
import { type CallSpec, Cursor, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Balances = T.Object({
  wallet: T.Integer({ minimum: 0, description: 'Treats the person may spend: bought, and granted by their plan' }),
  earned: T.Integer({
    minimum: 0,
    description: `Treats others spent on them (their ${TREAT_LIMITS.creatorSharePercent} % share), kept apart from the wallet; not spendable`,
  }),
});

const Movement = T.Object({
  id: T.String({ description: 'The entry, for ordering and paging (opaque)' }),
  transferId: Uuid,
  account: OneOf(['wallet', 'earned'] as const),
  kind: OneOf(TREAT_TRANSFER_KINDS, {
    description:
      '`purchase`: a pack bought; `allowance`: the plan’s monthly treats; `tip`: sent or received; `reversal`: a refund or chargeback taking back what it bought',
  }),
  amount: T.Integer({ description: 'Treats into (positive) or out of (negative) the account' }),
  balanceAfter: T.Integer({ minimum: 0, description: 'The account’s balance right after this movement' }),
  at: T.String({ format: 'date-time' }),
  counterpart: T.Union([PersonSummary, T.Null()], {
    description: 'A tip: who was tipped, or who tipped; null for anything else, and for someone a block now stands between you and',
  }),
  postId: T.Union([Uuid, T.Null()], { description: 'A tip: the post or reel it was for' }),
  note: T.Union([T.String(), T.Null()], { description: 'A tip: the note sent with it' }),
});

const exampleMovement = {
  id: '1042',
  transferId: '0192a1b2-c3d4-7e5f-8a9b-00000000a1a1',
  account: 'wallet' as const,
  kind: 'tip' as const,
  amount: -25,
  balanceAfter: 525,
  at: '2026-12-07T10:00:00.000Z',
  counterpart: examplePerson,
  postId: '0192a1b2-4444-7000-8000-0000000000e1',
  note: '¡Qué ola!',
};

const Allowance = T.Object({
  month: T.String({ pattern: '^\\d{4}-\\d{2}$', description: 'The calendar month (UTC), YYYY-MM' }),
  plan: OneOf(PLAN_IDS, { description: 'The plan whose allowance it is' }),
  monthly: T.Integer({ minimum: 0, description: 'Treats the plan grants a month' }),
  claimed: T.Integer({ minimum: 0, description: 'Treats claimed this month' }),
  available: T.Integer({ minimum: 0, description: 'Treats still to claim this month' }),
});
const exampleAllowance = { month: '2026-12', plan: 'basic' as const, monthly: 100, claimed: 0, available: 100 };

export const treatCalls = {
  'treats.balance': {
    description: 'The caller’s balances: the wallet they spend from and what they earned. Both are 0 before anything moved.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: Balances,
    example: { request: {}, response: { wallet: 550, earned: 70 } },
  },
  'treats.allowance': {
    description: `The caller’s allowance this calendar month (UTC): the treats their plan grants a month (${PLANS.free.monthlyTreats} on free, ${PLANS.basic.monthlyTreats} on a paid plan), what they claimed and what they may still claim (treats.claimAllowance). Subscribing mid-month makes the rest of the better plan’s allowance claimable.`,
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: Allowance,
    example: { request: {}, response: exampleAllowance },
  },
  'treats.claimAllowance': {
    description:
      'Moves what this month’s allowance still holds into the caller’s wallet (a movement of kind `allowance`, heard as `treats.changed`): the balances and the allowance after. Claiming when nothing is left changes nothing.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ ...Balances.properties, allowance: Allowance }),
    example: { request: {}, response: { wallet: 150, earned: 0, allowance: { ...exampleAllowance, claimed: 100, available: 0 } } },
  },
  'treats.history': {
    description: `The caller’s movements of treats, newest first, ${TREAT_LIMITS.historyPage} a page: both accounts, or one (\`account\`).`,
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ account: T.Optional(OneOf(['wallet', 'earned'] as const)), cursor: Cursor }),
    response: Page(Movement),
    example: { request: {}, response: { items: [exampleMovement], nextCursor: null } },
  },
  'treats.tip': {
    description: `Sends treats from the caller’s wallet to the author of a post or reel the caller may see (not their own): the author earns ${TREAT_LIMITS.creatorSharePercent} % of them (rounded up), the platform keeps the rest. 1 to ${TREAT_LIMITS.maxTip} treats, an optional note of at most ${TREAT_LIMITS.tipNoteChars} characters; at most ${TREAT_LIMITS.tipsPerMinute} tips a minute (RATE_LIMITED beyond). A post the caller may not see (blocks either way, its audience) or that was deleted is NOT_FOUND; their own is INVALID_INPUT (\`details.field\`: postId); a wallet short of the amount is NOT_ENOUGH_TREATS. Both people hear \`treats.changed\` on their user topic, and the author is notified.`,
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_INPUT', 'NOT_ENOUGH_TREATS'],
    request: T.Object({
      postId: Uuid,
      treats: T.Integer({ minimum: 1, maximum: TREAT_LIMITS.maxTip }),
      note: T.Optional(T.String({ minLength: 1, maxLength: TREAT_LIMITS.tipNoteChars })),
      clientId: T.String({
        format: 'uuid',
        description: 'Idempotency key: the same on every retry of one tip; a retry answers the first attempt’s transfer and moves nothing',
      }),
    }),
    response: T.Object({ transferId: Uuid, balances: Balances }),
    example: {
      request: { postId: exampleMovement.postId, treats: 25, note: '¡Qué ola!', clientId: '0192a1b2-c3d4-7e5f-8a9b-00000000c1d1' },
      response: { transferId: exampleMovement.transferId, balances: { wallet: 525, earned: 0 } },
    },
  },
} satisfies Record<string, CallSpec>;

export const treatUserEvents = {
  'treats.changed': {
    description:
      'The user’s balances changed (a tip sent or received, a pack bought, an allowance, a reversal): the balances now. Show these rather than adding amounts up.',
    body: T.Object({ ...Balances.properties, transferId: Uuid, kind: OneOf(TREAT_TRANSFER_KINDS) }),
    example: { wallet: 525, earned: 0, transferId: exampleMovement.transferId, kind: 'tip' },
  },
};
