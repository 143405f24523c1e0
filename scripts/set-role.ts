// Grants a role to an account, from the shell of a machine that has the node's configuration:
//   bun scripts/set-role.ts <email or username> <user|moderator|admin>
// The first admin of an installation is made this way; after that, admins use PUT /admin/users/:id/role.
import { eq, or } from 'drizzle-orm';
import { ROLES, type Role, users } from '../server/accounts/schema.ts';
import { emailKey } from '../server/accounts/users.ts';
import { loadConfig } from '../server/platform/config.ts';
import { openDatabase } from '../server/platform/db/index.ts';
import { migrateDatabase } from '../server/platform/db/migrate.ts';

const [login, role] = process.argv.slice(2);
if (login === undefined || role === undefined || !(ROLES as readonly string[]).includes(role)) {
  console.error(`usage: bun scripts/set-role.ts <email or username> <${ROLES.join('|')}>`);
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 1, applicationName: 'set-role' });
try {
  await migrateDatabase(database, config.databaseUrl);
  const key = login.trim().toLowerCase();
  const updated = await database.db
    .update(users)
    .set({ role: role as Role, updatedAt: new Date() })
    .where(or(eq(users.emailKey, emailKey(key)), eq(users.username, key)))
    .returning({ id: users.id, username: users.username });
  if (updated.length === 0) {
    console.error(`no account with email or username ${JSON.stringify(login)}`);
    process.exitCode = 1;
  } else {
    console.log(`${updated[0]?.username} (${updated[0]?.id}) is now ${role}`);
  }
} finally {
  await database.close();
}
