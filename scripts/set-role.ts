// Grants a role to an account, from the shell of a machine that has the node's configuration:
//   bun scripts/set-role.ts <email or username> <user|moderator|admin>
// The first admin of an installation is made this way; after that, admins use PUT /admin/users/:id/role.
// Like that endpoint it tells every node through NATS (NATS_URL), so the user's open sockets show
// the new role at once and get account.updated. Staff calls read the role from the database
// anyway, so without NATS the new role still decides what the user may do from their next call.
import { eq, or } from 'drizzle-orm';
import { setRole } from '../server/accounts/roles.ts';
import { ROLES, type Role, users } from '../server/accounts/schema.ts';
import { emailKey } from '../server/accounts/users.ts';
import { openBus } from '../server/platform/bus/index.ts';
import { loadConfig } from '../server/platform/config.ts';
import { openDatabase } from '../server/platform/db/index.ts';
import { migrateDatabase } from '../server/platform/db/migrate.ts';
import { createLogger } from '../server/platform/log.ts';
import { openTopicLog } from '../server/platform/topics/index.ts';

const [login, role] = process.argv.slice(2);
if (login === undefined || role === undefined || !(ROLES as readonly string[]).includes(role)) {
  console.error(`usage: bun scripts/set-role.ts <email or username> <${ROLES.join('|')}>`);
  process.exit(2);
}
const config = loadConfig();
const log = createLogger({ level: 'warn', format: config.logFormat, nodeId: 'set-role' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 1, applicationName: 'set-role' });
const bus = await openBus({ natsUrl: config.natsUrl, name: 'petamigos:set-role', log });
const topics = await openTopicLog({ nats: bus.natsConnection, namespace: config.clusterName, log });
try {
  await migrateDatabase(database, config.databaseUrl);
  const key = login.trim().toLowerCase();
  const [found] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(or(eq(users.emailKey, emailKey(key)), eq(users.username, key)));
  const deps = { db: database.db, topics, log, bus, namespace: config.clusterName };
  const updated = found === undefined ? undefined : await setRole(deps, found.id, role as Role);
  if (updated === undefined) {
    console.error(`no account with email or username ${JSON.stringify(login)}`);
    process.exitCode = 1;
  } else {
    await bus.flush();
    console.log(`${updated.username} (${updated.id}) is now ${role}`);
  }
} finally {
  await topics.close();
  await bus.close();
  await database.close();
}
