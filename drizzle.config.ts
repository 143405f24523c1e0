import { defineConfig } from 'drizzle-kit';

// Schema files live with the module that owns them: server/<domain>/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/*/schema.ts',
  out: './migrations',
  casing: 'snake_case',
});
