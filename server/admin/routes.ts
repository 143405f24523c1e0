// Staff endpoints: moderators look up accounts, admins change roles. Both go through the same
// role guard as every other protected route.
import { Elysia } from 'elysia';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { setRole } from '../accounts/roles.ts';
import * as S from '../accounts/schemas.ts';
import { findUserById, userView } from '../accounts/users.ts';
import { NotFoundError } from '../errors.ts';
import { refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';

export function adminRoutes(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined) {
  const params = t.Object({ id: t.String({ format: 'uuid' }) });
  return new Elysia({ name: 'admin-routes', prefix: '/admin' })
    .use(accountsGuard(deps, peerAddress))
    .get(
      '/users/:id',
      async ({ params: { id } }) => {
        const user = await findUserById(deps.db, id);
        if (user === undefined) throw new NotFoundError('user');
        return { user: userView(user) };
      },
      {
        role: 'moderator',
        params,
        response: { 200: t.Object({ user: S.User }) },
        detail: { tags: ['admin'], summary: 'Look up an account', ...refusals({ 404: ['NOT_FOUND'] }) },
      },
    )
    .put(
      '/users/:id/role',
      async ({ params: { id }, body, principal }) => {
        const row = await setRole(deps, id, body.role);
        if (row === undefined) throw new NotFoundError('user');
        deps.log.info(
          { user: id, role: body.role, by: principal.userId },
          `admin.role() | set [user:${id}] [role:${body.role}] [by:${principal.userId}]`,
        );
        return { user: userView(row) };
      },
      {
        role: 'admin',
        params,
        body: S.RoleBody,
        response: { 200: t.Object({ user: S.User }) },
        detail: { tags: ['admin'], summary: 'Change the role of an account', ...refusals({ 404: ['NOT_FOUND'] }) },
      },
    );
}
