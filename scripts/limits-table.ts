// `bun scripts/limits-table.ts`: rewrites the README's table of limits from the code (server/ops/limits.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { withLimitsTable } from '../server/ops/limits.ts';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withLimitsTable(readFileSync(path, 'utf8')));
