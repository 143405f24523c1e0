// Runs before every server test file (vitest.config.ts): a test during which a node logged a
// breach of the published contract fails, and so does the file if one is logged after its last
// test (a call still answering while the nodes stop).
import { afterAll, afterEach } from 'vitest';
import { takeBreaches } from '../harness/contract.ts';

function failOnBreaches(): void {
  const breaches = takeBreaches();
  if (breaches.length > 0)
    throw new Error(
      `a call answered an error code its catalogue entry does not declare (protocol/calls/*.ts errors):\n${breaches.join('\n')}`,
    );
}

afterEach(failOnBreaches);
afterAll(failOnBreaches);
