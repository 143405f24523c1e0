import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareRows, direction, formatComparison, percentChange, pickRuns } from './comparison.ts';
import type { Run } from './history.ts';

const run = (commit: string, rows: Run['rows'], cpu = 'AMD EPYC', settings: Run['settings'] = {}): Run => ({
  commit,
  dirty: false,
  date: '2026-12-06T09:00:00.000Z',
  host: { cpu, cores: 2, bun: '1.4.5', platform: 'linux x64', load: 0.5 },
  settings,
  rows,
});

describe('direction', () => {
  // The figures the benchmarks print today, and some the new ones will.
  test.each([
    ['calls: gateway', 'p50 µs', 'lower'],
    ['calls: gateway', '×64/s', 'higher'],
    ['calls: gateway', 'seq/s', 'higher'],
    ['bare / gateway (target ≤ 1.5)', 'call p50', 'lower'],
    ['bare / gateway (target ≤ 1.5)', 'calls ×64', 'lower'],
    ['bare / gateway (target ≤ 1.5)', 'fan-out', 'lower'],
    ['fan-out: gateway', 'deliveries/s', 'higher'],
    ['fan-out: gateway', 'p99 ms', 'lower'],
    ['Bus on NATS', 'req/s ×64', 'higher'],
    ['Bus on NATS / bare nats.js', 'p50 ratio', 'lower'],
    ['Bus on NATS / bare nats.js', 'req/s ratio', 'higher'],
    ['Bus on NATS / bare nats.js', 'publish msg/s ratio', 'higher'],
    ['KeyRing / bare', 'verify/s ratio', 'higher'],
    ['verify: KeyRing', 'per s', 'higher'],
    ['ask / bare (target ≤ 2)', 'throughput ratio', 'lower'],
    ['busy room / bare (sequential)', 'p50 ×', 'lower'],
    ['memory per idle actor (10000)', 'heap bytes', 'lower'],
    ['encode pong (1 wide integer)', 'encodeFrame / baseline', 'lower'],
    ['encode pong (1 wide integer)', 'msgpackr (baseline) ns', 'lower'],
    ['decode message.new event', 'ratio', 'lower'],
    ['feed: chronological', 'max ms', 'lower'],
    ['images: processImage (+ preview)', 'images/s of bare', 'higher'],
    ['video: processVideo (+ thumbnail)', 'speed of bare', 'higher'],
    ['video: processVideo (+ thumbnail)', '× real time', 'higher'],
    ['video: processVideo (+ thumbnail)', 'seconds', 'lower'],
    ['first screen JS (gzip)', 'kB', 'lower'],
    ['idle sockets', 'KB per socket', 'lower'],
    ['gateway: 20000 idle sockets', 'KB/socket', 'lower'],
    ['gateway: 20000 idle sockets', 'opened/s', 'higher'],
    ['gateway: 20000 idle sockets', 'idle CPU %', 'lower'],
    ['decode: readClientFrame', 'read / bare', 'lower'],
    ['idle sockets', 'bytes/socket', 'lower'],
    ['soak: node A', 'lag p99 ms', 'lower'],
    ['soak: calls', 'errors/s', 'lower'],
    ['soak: calls', 'error rate', 'lower'],
  ] as const)('%s: %s is %s-better', (label, key, way) => {
    expect(direction(label, key)).toBe(way);
  });

  test.each([
    ['first screen JS (gzip)', 'chunks'],
    ['fan-out: gateway', 'complete'],
    // A step's cost named after what it checks: its unit must be in the name to be told.
    ['admit and check', 'user rate'],
    ['video: processVideo (+ thumbnail)', 'target (≤ 2× clip)'],
  ])('%s: %s has no direction', (label, key) => {
    expect(direction(label, key)).toBeUndefined();
  });
});

describe('percentChange', () => {
  test('is relative to the older figure, also when it is negative', () => {
    expect(percentChange(200, 250)).toBe(25);
    expect(percentChange(200, 150)).toBe(-25);
    expect(percentChange(-10, -5)).toBe(50);
  });
  test('is 0 from 0 to 0 and infinite from 0 to anything else', () => {
    expect(percentChange(0, 0)).toBe(0);
    expect(percentChange(0, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(percentChange(0, -3)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('compareRows', () => {
  test('marks a figure worse or better by its direction only beyond the threshold', () => {
    const before = { calls: { 'p50 µs': 20, 'p99 µs': 100, 'seq/s': 1000, 'max ms': 10 } };
    const after = { calls: { 'p50 µs': 25, 'p99 µs': 110, 'seq/s': 1200, 'max ms': 8 } };
    const changes = compareRows(before, after, 10);
    expect(changes.map((change) => [change.key, change.percent, change.mark])).toEqual([
      ['p50 µs', 25, 'worse'],
      ['p99 µs', 10, undefined],
      ['seq/s', 20, 'better'],
      ['max ms', -20, 'better'],
    ]);
    expect(compareRows(before, after, 30).filter((change) => change.mark !== undefined)).toEqual([]);
  });

  test('a rate that fell and a cost ratio that rose are worse', () => {
    const changes = compareRows(
      { 'a / b': { ratio: 1.2 }, calls: { 'seq/s': 1000 } },
      { 'a / b': { ratio: 1.5 }, calls: { 'seq/s': 800 } },
      10,
    );
    expect(changes.map((change) => change.mark)).toEqual(['worse', 'worse']);
  });

  test('a figure without a direction is "moved", a text figure "changed"', () => {
    const changes = compareRows({ fan: { chunks: 3, complete: 'true' } }, { fan: { chunks: 5, complete: 'false' } }, 10);
    expect(changes.map((change) => change.mark)).toEqual(['moved', 'changed']);
    expect(compareRows({ fan: { complete: 'true' } }, { fan: { complete: 'true' } }, 10)[0]?.mark).toBeUndefined();
  });

  test('a figure that became text (NaN) is "changed", with no percentage', () => {
    const [change] = compareRows({ calls: { 'p50 µs': 20 } }, { calls: { 'p50 µs': 'NaN' } }, 10);
    expect(change).toMatchObject({ mark: 'changed', before: 20, after: 'NaN' });
    expect(change?.percent).toBeUndefined();
  });

  test('new and gone figures and rows are listed, in the newer order, then the gone ones', () => {
    const before = { kept: { 'p50 µs': 1, 'old µs': 2 }, removed: { 'seq/s': 3 } };
    const after = { added: { 'seq/s': 4 }, kept: { 'new µs': 5, 'p50 µs': 1 } };
    expect(compareRows(before, after, 10).map((change) => [change.label, change.key, change.mark])).toEqual([
      ['added', 'seq/s', 'new'],
      ['kept', 'new µs', 'new'],
      ['kept', 'p50 µs', undefined],
      ['kept', 'old µs', 'gone'],
      ['removed', 'seq/s', 'gone'],
    ]);
  });

  test('a latency is worse exactly when it rose by more than the threshold', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (before, after, threshold) => {
          const [change] = compareRows({ calls: { 'p50 µs': before } }, { calls: { 'p50 µs': after } }, threshold);
          const percent = ((after - before) / before) * 100;
          expect(change?.mark === 'worse').toBe(percent > threshold);
          expect(change?.mark === 'better').toBe(percent < -threshold);
        },
      ),
    );
  });
});

describe('pickRuns', () => {
  const runs = [run('aaa1', {}), run('bbb2', {}), run('aaa1', {}), run('ccc3', {})];

  test('compares the newest run with the one before it', () => {
    expect(pickRuns(runs)).toEqual({ base: runs[2], latest: runs[3] });
  });

  test('with since, the base is the newest earlier run of that commit', () => {
    expect(pickRuns(runs, (commit) => commit.startsWith('aaa'))?.base).toBe(runs[2]);
    expect(pickRuns(runs, (commit) => commit === 'bbb2')?.base).toBe(runs[1]);
    // The newest run is never its own base.
    expect(pickRuns(runs, (commit) => commit === 'ccc3')).toBeUndefined();
  });

  test('one run or none give nothing to compare', () => {
    expect(pickRuns([])).toBeUndefined();
    expect(pickRuns([run('aaa1', {})])).toBeUndefined();
  });
});

describe('formatComparison', () => {
  test('one line per figure with old, new, change and mark, under its row', () => {
    const before = run('aaaaaaaaaaaa', { calls: { 'p50 µs': 20, 'seq/s': 1000 } });
    const after = run('bbbbbbbbbbbb', { calls: { 'p50 µs': 25, 'seq/s': 1010 } });
    const lines = formatComparison('gateway', before, after, compareRows(before.rows, after.rows, 10), 10);
    expect(lines[0]).toBe('bench/gateway: bbbbbbbbb (2026-12-06 09:00 UTC) against aaaaaaaaa (2026-12-06 09:00 UTC)');
    expect(lines[1]).toBe('  calls');
    expect(lines[2]).toMatch(/^ {4}p50 µs +20 → +25 +\+25\.0% {2}worse$/);
    expect(lines[3]).toMatch(/^ {4}seq\/s +1,000 → +1,010 +\+1\.0%$/);
    expect(lines.at(-1)).toBe('  1 worse, 0 better beyond 10%; 0 moved without a known direction; 0 changed, new or gone');
  });

  test('says so in the header when the runs were on different CPUs', () => {
    const before = run('aaaa', { calls: { 'p50 µs': 20 } }, 'Intel Xeon');
    const after = run('bbbb', { calls: { 'p50 µs': 20 } });
    const [header] = formatComparison('gateway', before, after, compareRows(before.rows, after.rows, 10), 10);
    expect(header).toContain('different hosts (Intel Xeon ×2, then AMD EPYC ×2)');
    const [same] = formatComparison('gateway', after, after, [], 10);
    expect(same).not.toContain('different hosts');
  });

  test('says so in the header when the runs had different BENCH_* settings', () => {
    const before = run('aaaa', {}, 'AMD EPYC', { BENCH_CALLS: '5000', BENCH_NODE_FLAGS: '--cpu-prof-md' });
    const after = run('bbbb', {}, 'AMD EPYC', { BENCH_CALLS: '500', BENCH_SOCKETS: '200', BENCH_NODE_FLAGS: '--cpu-prof-md' });
    const [header] = formatComparison('gateway', before, after, [], 10);
    expect(header).toContain('different settings (BENCH_CALLS: 5000 → 500, BENCH_SOCKETS: unset → 200)');
    const [same] = formatComparison('gateway', before, before, [], 10);
    expect(same).not.toContain('different settings');
  });
});
