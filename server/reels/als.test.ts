import { describe, expect, test } from 'vitest';
import { factorise, type Observations, observations, unitRow } from './als.ts';

const cosine = (a: number[] | null, b: number[] | null) =>
  a === null || b === null ? 0 : a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

/** Two tribes: users 0–29 like items 0–19 and skip some of 20–39; users 30–59 the other way round. Each sees a random part of each half. */
function tribes(): Observations {
  let state = 42;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const rows: { user: number; item: number; weight: number }[] = [];
  for (let user = 0; user < 60; user++) {
    const mine = user < 30 ? 0 : 20;
    const theirs = user < 30 ? 20 : 0;
    for (let n = 0; n < 20; n++) {
      // Item 1 of each tribe is left unseen by user 0 and user 30, for the prediction test.
      if ((user === 0 || user === 30) && n === 1) continue;
      if (random() < 0.4) rows.push({ user, item: mine + n, weight: 2 });
      if (random() < 0.2) rows.push({ user, item: theirs + n, weight: -0.5 });
    }
  }
  return observations(rows);
}

describe('reels collaborative factors', () => {
  test('als: reels liked by the same people come out close, reels of the other tribe far', () => {
    const { itemFactors } = factorise(tribes(), 60, 40, { factors: 8, iterations: 10, lambda: 0.1, alpha: 2, seed: 7 });
    const item = (i: number) => unitRow(itemFactors, i, 8);
    let same = 0;
    let across = 0;
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) {
        if (i !== j) same += cosine(item(i), item(j)) + cosine(item(20 + i), item(20 + j));
        across += cosine(item(i), item(20 + j));
      }
    const sameMean = same / (2 * 20 * 19);
    const acrossMean = across / (20 * 20);
    // Random directions in 8 dimensions would give about 0 for both.
    expect(sameMean).toBeGreaterThan(0.2);
    expect(acrossMean).toBeLessThan(0.1);
    expect(sameMean - acrossMean).toBeGreaterThan(0.2);
  });

  test('als: a user’s factors predict the unseen items of their tribe above the other tribe’s', () => {
    const { userFactors, itemFactors } = factorise(tribes(), 60, 40, { factors: 8, iterations: 10, lambda: 0.1, alpha: 2, seed: 7 });
    const score = (user: number, item: number) => {
      let sum = 0;
      for (let f = 0; f < 8; f++) sum += (userFactors[user * 8 + f] as number) * (itemFactors[item * 8 + f] as number);
      return sum;
    };
    // Neither saw item 1 of either tribe: each predicts their own tribe's above the other's.
    expect(score(0, 1)).toBeGreaterThan(score(0, 21) + 0.2);
    expect(score(30, 21)).toBeGreaterThan(score(30, 1) + 0.2);
  });

  test('als: the same observations and seed give the same factors; nothing observed gives no user factors', () => {
    const first = factorise(tribes(), 60, 40, { factors: 4, iterations: 3, lambda: 0.1, alpha: 2, seed: 3 });
    const second = factorise(tribes(), 60, 40, { factors: 4, iterations: 3, lambda: 0.1, alpha: 2, seed: 3 });
    expect(Array.from(first.itemFactors)).toEqual(Array.from(second.itemFactors));
    const empty = factorise(observations([]), 2, 3, { factors: 4, iterations: 2, lambda: 0.1, alpha: 2, seed: 3 });
    expect(unitRow(empty.userFactors, 0, 4)).toBeNull();
    expect(Array.from(empty.userFactors).every((value) => Number.isFinite(value))).toBe(true);
  });
});
