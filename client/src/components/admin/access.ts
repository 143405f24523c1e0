// Who may see the staff area: roles in order, the signed-in account's compared with the least a
// screen needs. Only to decide what to show and whether to ask; the server checks every call.
import type { Role } from '../../../../protocol/spec.ts';
import { ApiError } from '../../api/http.ts';
import { state } from '../../state/store.ts';

const RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 };

/** Whether the signed-in account holds `least` or a higher role. */
export const hasRole = (least: Role) => (RANK[state.user?.role as Role] ?? 0) >= RANK[least];

/** The server refused a staff call for the role (the account lost it since signing in). */
export const isRefusal = (error: unknown) => error instanceof ApiError && error.status === 403;
