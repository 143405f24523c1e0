// Reports of posts, comments and people, stored for the moderation work to come: who reported
// what, why, with an optional note. One open report per person and target; reporting again
// answers the same report, saying so (`alreadyReported`). Reporting needs the right to see the
// target: a person who blocked the reporter is NOT_FOUND to them (one they blocked is not). Each
// user may send REPORTS_PER_HOUR reports an hour, so nobody floods the moderators.
import type { Static } from '@sinclair/typebox';
import { and, eq } from 'drizzle-orm';
import type { postCalls } from '../../protocol/calls/posts.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { relationFacts } from '../graph/relations.ts';
import type { SocialDeps } from '../people/context.ts';
import type { Database } from '../platform/db/index.ts';
import { checkPlainText } from '../platform/input.ts';
import type { Comments } from './comments.ts';
import type { Posts } from './posts.ts';
import { reports } from './schema.ts';

async function reportablePerson(db: Database, reporterId: string, userId: string): Promise<void> {
  if (userId === reporterId) throw new InvalidInputError('you cannot report yourself', { field: 'targetId' });
  const [found] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (found === undefined || (await relationFacts(db, reporterId, userId)).blockedBy) throw new NotFoundError('user');
}

export async function createReport(
  deps: Pick<SocialDeps, 'db' | 'limiter' | 'reportsPerHour'>,
  access: { posts: Posts; comments: Comments },
  reporterId: string,
  request: Static<(typeof postCalls)['reports.create']['request']>,
): Promise<{ id: string; alreadyReported: boolean }> {
  await deps.limiter.hit({ name: 'reports', max: deps.reportsPerHour, windowMs: 3_600_000 }, reporterId);
  if (request.targetKind === 'post') await access.posts.visible(reporterId, request.targetId);
  else if (request.targetKind === 'comment') await access.comments.visible(reporterId, request.targetId);
  else await reportablePerson(deps.db, reporterId, request.targetId);
  const note = (request.note ?? '').trim();
  checkPlainText(note, 'note');
  const [created] = await deps.db
    .insert(reports)
    .values({
      id: Bun.randomUUIDv7(),
      reporterId,
      targetKind: request.targetKind,
      targetId: request.targetId,
      reason: request.reason,
      note,
    })
    .onConflictDoNothing()
    .returning({ id: reports.id });
  if (created !== undefined) return { id: created.id, alreadyReported: false };
  const [open] = await deps.db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        eq(reports.reporterId, reporterId),
        eq(reports.targetKind, request.targetKind),
        eq(reports.targetId, request.targetId),
        eq(reports.status, 'open'),
      ),
    );
  if (open === undefined) throw new Error('report neither inserted nor found');
  return { id: open.id, alreadyReported: true };
}
