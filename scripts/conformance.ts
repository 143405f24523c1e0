// Plays the conformance scenarios against any server: `bun scripts/conformance.ts ws://host:port/ws <token>`,
// with an access token of an ordinary user. Prints each scenario's outcome; exits 1 if one failed.
import { readFileSync } from 'node:fs';
import { runScenario } from '../protocol/conformance/runner.ts';
import type { VectorFile } from '../protocol/conformance/vectors.ts';

const [url, token] = process.argv.slice(2);
if (url === undefined || token === undefined) {
  console.error('usage: bun scripts/conformance.ts ws://host:port/ws <access token of an ordinary user>');
  process.exit(2);
}
const vectors = JSON.parse(readFileSync(new URL('../protocol/conformance/vectors.json', import.meta.url), 'utf8')) as VectorFile;
let failed = 0;
for (const scenario of vectors.scenarios) {
  const result = await runScenario(scenario, { url, token });
  if (result.ok) console.log(`ok    ${result.name}`);
  else {
    failed++;
    console.log(`FAIL  ${result.name}\n      ${result.failure}`);
  }
}
console.log(`${vectors.scenarios.length - failed} of ${vectors.scenarios.length} scenarios passed`);
process.exit(failed === 0 ? 0 : 1);
