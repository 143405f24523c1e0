// The web client's weight: the JavaScript the first screen needs (the entry chunk and the chunks
// it imports statically, gzipped) against the 100 kB budget (issue 18), next to the whole bundle. Reads the
// Vite manifest of client/dist (npm start / npm test build it). Exits 1 over budget.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { row } from './stats.ts';

const dist = new URL('../client/dist/', import.meta.url).pathname;
const BUDGET = 100 * 1024;
const manifestPath = `${dist}.vite/manifest.json`;
if (!existsSync(manifestPath)) {
  console.error('bundle-size: client/dist/.vite/manifest.json is missing; build the client first (npm run build:client)');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;
const gzipped = (file: string) => gzipSync(readFileSync(`${dist}${file}`)).length;

const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
if (entry === undefined) throw new Error('no entry chunk in the manifest');
const firstScreen = new Set<string>();
const visit = (key: string) => {
  const chunk = manifest[key];
  if (chunk === undefined || firstScreen.has(chunk.file)) return;
  firstScreen.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(entry[0]);
const firstBytes = [...firstScreen].filter((file) => file.endsWith('.js')).reduce((sum, file) => sum + gzipped(file), 0);
const allJs = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((file) => file.endsWith('.js'));
const totalBytes = allJs.reduce((sum, file) => sum + gzipped(file), 0);
console.log(row('first screen JS (gzip)', { kB: firstBytes / 1024, 'budget kB': BUDGET / 1024, chunks: firstScreen.size }));
console.log(row('whole bundle JS (gzip)', { kB: totalBytes / 1024, chunks: allJs.length }));
if (firstBytes > BUDGET) process.exit(1);
