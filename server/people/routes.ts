// Finding people over HTTP: a user's id by username, for clients that have a name and need the
// id. Everything else about people is on the WebSocket (profile.get and friends). A block on
// either side makes the user NOT_FOUND here too.
import { eq } from 'drizzle-orm';
import { Elysia } from 'elysia';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { users } from '../accounts/schema.ts';
import { NotFoundError } from '../errors.ts';
import { isBlocked, relationFacts } from '../graph/relations.ts';
import { refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';

export function peopleRoutes(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined) {
  return new Elysia({ name: 'people-routes', prefix: '/users' }).use(accountsGuard(deps, peerAddress)).get(
    '/by-username/:username',
    async ({ params, principal }) => {
      const [row] = await deps.db
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(eq(users.username, params.username.toLowerCase()))
        .limit(1);
      if (row === undefined || isBlocked(await relationFacts(deps.db, principal.userId, row.id))) throw new NotFoundError('user');
      return { user: row };
    },
    {
      role: 'user',
      params: t.Object({ username: t.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: t.Object({ user: t.Object({ id: t.String(), username: t.String() }) }) },
      detail: { tags: ['people'], summary: 'A user by username (id and username)', ...refusals({ 404: ['NOT_FOUND'] }) },
    },
  );
}
