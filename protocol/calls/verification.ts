// Calls of verification: a person on a plan with `verification` (Premium, Pro) asks for the
// verified mark, saying what they are and where that can be seen; an admin approves or rejects it
// (HTTP, /admin/verification); the person hears the decision on their `user:<id>` topic. The mark
// shows in `badges` while their plan has `verification`; the approval is kept when the plan ends,
// so the mark comes back with a new subscription, without asking again.
import { VERIFICATION_CATEGORIES, VERIFICATION_LIMITS, VERIFICATION_STATUSES } from '../lists.ts';
import { type CallSpec, OneOf, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

export const VerificationRequest = T.Object({
  id: Uuid,
  category: OneOf(VERIFICATION_CATEGORIES, { description: 'What the person says they are' }),
  note: T.String({ description: "The person's note to the admins ('' when none)" }),
  links: T.Array(T.String(), { description: 'Pages that show who the person is' }),
  status: OneOf(VERIFICATION_STATUSES, {
    description: '`pending`: waiting for an admin; `approved`: the person is verified; `rejected`: see `reason`',
  }),
  reason: T.Union([T.String(), T.Null()], { description: 'Why it was rejected; null unless rejected' }),
  createdAt: T.String({ format: 'date-time' }),
  decidedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'When an admin decided; null while pending' }),
});

const exampleVerificationRequest = {
  id: '0192a1b2-5555-7000-8000-0000000000a1',
  category: 'shelter',
  note: 'Refugio Patitas, Coyoacán: 40 dogs waiting for a home.',
  links: ['https://refugiopatitas.example.org'],
  status: 'pending',
  reason: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  decidedAt: null,
};

const Link = T.String({
  minLength: 9,
  maxLength: VERIFICATION_LIMITS.linkChars,
  pattern: '^https://[^\\s]+$',
  description: 'An https address',
});

export const verificationCalls = {
  'verification.request': {
    description: `Ask for the verified mark: what the caller is (\`category\`), an optional note to the admins (at most ${VERIFICATION_LIMITS.noteChars} characters) and up to ${VERIFICATION_LIMITS.links} https links that show it. Needs a plan with \`verification\` (PLAN_REQUIRED otherwise); one request waits at a time (VERIFICATION_PENDING while one does); someone verified already gets ALREADY_VERIFIED. An admin decides; the decision arrives as \`verification.changed\` on \`user:<id>\`.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'PLAN_REQUIRED', 'VERIFICATION_PENDING', 'ALREADY_VERIFIED'],
    request: T.Object(
      {
        category: OneOf(VERIFICATION_CATEGORIES),
        note: T.Optional(T.String({ maxLength: VERIFICATION_LIMITS.noteChars })),
        links: T.Optional(T.Array(Link, { maxItems: VERIFICATION_LIMITS.links, uniqueItems: true })),
      },
      { additionalProperties: false },
    ),
    response: VerificationRequest,
    example: {
      request: { category: 'shelter', note: exampleVerificationRequest.note, links: exampleVerificationRequest.links },
      response: exampleVerificationRequest,
    },
  },
  'verification.status': {
    description:
      "The caller's latest verification request (null when they never asked), whether they are verified now (`verified`: the mark shows), and whether their plan lets them ask (`eligible`: it has `verification`).",
    role: 'user',
    errors: [],
    request: T.Object({}, { additionalProperties: false }),
    response: T.Object({
      request: T.Union([VerificationRequest, T.Null()]),
      verified: T.Boolean({ description: 'The verified mark shows on their name now' }),
      eligible: T.Boolean({ description: 'Their plan has `verification`: they may ask (or their approval shows)' }),
    }),
    example: { request: {}, response: { request: exampleVerificationRequest, verified: false, eligible: true } },
  },
} satisfies Record<string, CallSpec>;

export const verificationUserEvents = {
  'verification.changed': {
    description: "An admin decided on the user's verification request: the request now (approved, or rejected with its reason).",
    body: T.Object({ request: VerificationRequest }),
    example: { request: { ...exampleVerificationRequest, status: 'approved', decidedAt: '2026-11-25T09:00:00.000Z' } },
  },
};
