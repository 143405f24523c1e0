// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren and Volinsky,
// "Collaborative Filtering for Implicit Feedback Datasets", 2008), pure and deterministic for a
// seed. Each observed (person, reel) pair has a weight: positive when they liked what they saw
// (finished it, liked, shared…), negative when they did not (skipped, not interested). The
// preference is 1 for a positive weight and 0 otherwise; the confidence is 1 + ALPHA × |weight|;
// every pair not observed counts as preference 0 with confidence 1. Alternating, each person's
// factors and then each reel's are the exact least-squares solution given the other side's,
// with the trick that keeps the unobserved pairs cheap: YᵀY is computed once per half-step and
// only the observed pairs add their correction. Reels liked by the same people end up with close
// factors: the collaborative half of a reel's vector.

/** Observed pairs as three columns of one length (typed arrays cross to a worker without copying). */
export interface Observations {
  users: Int32Array;
  items: Int32Array;
  weights: Float64Array;
}

export function observations(rows: readonly { user: number; item: number; weight: number }[]): Observations {
  return {
    users: Int32Array.from(rows, (row) => row.user),
    items: Int32Array.from(rows, (row) => row.item),
    weights: Float64Array.from(rows, (row) => row.weight),
  };
}

export interface AlsOptions {
  factors: number;
  iterations: number;
  /** Ridge regularisation. */
  lambda: number;
  /** Confidence per unit of weight. */
  alpha: number;
  seed: number;
}

export const ALS_DEFAULTS: AlsOptions = { factors: 16, iterations: 8, lambda: 1, alpha: 2, seed: 1 };

/** Rows of `count` vectors of `k` numbers, in one array. */
type Factors = Float64Array;

/** A generator of numbers in [0, 1) that gives the same sequence for the same seed (mulberry32). */
export function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Solves A x = b in place for a symmetric positive definite A (k × k, row-major) by Cholesky; x goes into `out`. */
function solve(a: Float64Array, b: Float64Array, k: number, out: Float64Array, at: number) {
  for (let j = 0; j < k; j++) {
    let sum = a[j * k + j] as number;
    for (let p = 0; p < j; p++) sum -= (a[j * k + p] as number) ** 2;
    const diagonal = Math.sqrt(Math.max(sum, 1e-12));
    a[j * k + j] = diagonal;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j] as number;
      for (let p = 0; p < j; p++) s -= (a[i * k + p] as number) * (a[j * k + p] as number);
      a[i * k + j] = s / diagonal;
    }
  }
  // L y = b, then Lᵀ x = y.
  for (let i = 0; i < k; i++) {
    let s = b[i] as number;
    for (let p = 0; p < i; p++) s -= (a[i * k + p] as number) * (b[p] as number);
    b[i] = s / (a[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let p = i + 1; p < k; p++) s -= (a[p * k + i] as number) * (b[p] as number);
    b[i] = s / (a[i * k + i] as number);
  }
  for (let i = 0; i < k; i++) out[at * k + i] = b[i] as number;
}

/** Rows of the observations grouped by one side: for each row, the other side's indices and weights. */
function grouped(observed: Observations, rows: number, side: 'user' | 'item') {
  const keys = side === 'user' ? observed.users : observed.items;
  const others = side === 'user' ? observed.items : observed.users;
  const starts = new Int32Array(rows + 1);
  for (const key of keys) starts[key + 1] = (starts[key + 1] as number) + 1;
  for (let r = 0; r < rows; r++) starts[r + 1] = (starts[r + 1] as number) + (starts[r] as number);
  const fill = starts.slice(0, rows);
  const other = new Int32Array(keys.length);
  const weights = new Float64Array(keys.length);
  for (let n = 0; n < keys.length; n++) {
    const key = keys[n] as number;
    const at = fill[key] as number;
    fill[key] = at + 1;
    other[at] = others[n] as number;
    weights[at] = observed.weights[n] as number;
  }
  return { starts, other, weights };
}

/** One half-step: the factors of every row of one side, given the other side's factors. */
function halfStep(
  target: Factors,
  rows: number,
  fixed: Factors,
  fixedRows: number,
  groups: ReturnType<typeof grouped>,
  options: AlsOptions,
) {
  const k = options.factors;
  // YᵀY over every row of the fixed side.
  const gram = new Float64Array(k * k);
  for (let r = 0; r < fixedRows; r++)
    for (let i = 0; i < k; i++) {
      const yi = fixed[r * k + i] as number;
      for (let j = 0; j < k; j++) gram[i * k + j] = (gram[i * k + j] as number) + yi * (fixed[r * k + j] as number);
    }
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let row = 0; row < rows; row++) {
    a.set(gram);
    b.fill(0);
    for (let i = 0; i < k; i++) a[i * k + i] = (a[i * k + i] as number) + options.lambda;
    for (let n = groups.starts[row] as number; n < (groups.starts[row + 1] as number); n++) {
      const other = groups.other[n] as number;
      const weight = groups.weights[n] as number;
      const confidence = 1 + options.alpha * Math.abs(weight);
      const preference = weight > 0 ? 1 : 0;
      for (let i = 0; i < k; i++) {
        const yi = fixed[other * k + i] as number;
        b[i] = (b[i] as number) + confidence * preference * yi;
        for (let j = 0; j < k; j++) a[i * k + j] = (a[i * k + j] as number) + (confidence - 1) * yi * (fixed[other * k + j] as number);
      }
    }
    solve(a, b, k, target, row);
  }
}

/** The factors of every user and item; items and users with no observation keep small random ones. */
export function factorise(observed: Observations, users: number, items: number, options: AlsOptions = ALS_DEFAULTS) {
  const k = options.factors;
  const random = seeded(options.seed);
  const userFactors = new Float64Array(users * k);
  const itemFactors = Float64Array.from({ length: items * k }, () => (random() - 0.5) * 0.1);
  const byUser = grouped(observed, users, 'user');
  const byItem = grouped(observed, items, 'item');
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    halfStep(userFactors, users, itemFactors, items, byUser, options);
    halfStep(itemFactors, items, userFactors, users, byItem, options);
  }
  return { userFactors, itemFactors };
}

/** Row `row` of `factors`, scaled to unit length (null when it is all zeros). */
export function unitRow(factors: Float64Array, row: number, k: number): number[] | null {
  const values = Array.from(factors.subarray(row * k, row * k + k));
  const norm = Math.hypot(...values);
  return norm === 0 ? null : values.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}
