// Runs every benchmark in bench/ one after the other: `npm run bench` or `bun bench/run.ts`.
// Each prints its own figures and its baseline's, measured in the same run.
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
const skip = new Set(['run.ts', 'stats.ts', 'bare-ws-server.ts']);
const only = process.argv.slice(2);
for (const file of readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !skip.has(name))
  .sort()) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  console.log(`\n== bench/${file}`);
  const child = Bun.spawnSync([process.execPath, `${here}${file}`], { stdout: 'inherit', stderr: 'inherit', env: process.env });
  if (child.exitCode !== 0) {
    console.error(`bench/${file} failed with exit code ${child.exitCode}`);
    process.exit(1);
  }
}
