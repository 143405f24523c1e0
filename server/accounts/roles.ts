// Changing a user's role reaches them at once: the row first, then every gateway (their open
// sockets use the new role from their next call, on any node), then account.updated on their
// topic. PUT /admin/users/:id/role and scripts/set-role.ts both change roles here.
import { eq } from 'drizzle-orm';
import type { Bus } from '../platform/bus/index.ts';
import type { AccountsDeps } from './context.ts';
import { publishAccountUpdated } from './events.ts';
import { type Role, users } from './schema.ts';
import type { UserRow } from './users.ts';

/** NATS subject on which role changes reach every gateway node. */
export const roleChangedSubject = (namespace: string) => `${namespace}.accounts.role-changed`;

export interface RoleChange {
  userId: string;
  role: Role;
}

function announceRole(bus: Bus, namespace: string, change: RoleChange): void {
  bus.publish(roleChangedSubject(namespace), new TextEncoder().encode(JSON.stringify(change)));
}

/** Sets the role of `userId`; undefined when there is no such user. */
export async function setRole(
  deps: Pick<AccountsDeps, 'db' | 'topics' | 'log' | 'bus' | 'namespace'>,
  userId: string,
  role: Role,
): Promise<UserRow | undefined> {
  const [row] = await deps.db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId)).returning();
  if (row === undefined) return undefined;
  announceRole(deps.bus, deps.namespace, { userId, role });
  await publishAccountUpdated(deps, userId);
  return row;
}
