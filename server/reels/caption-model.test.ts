// Every test that runs a model is in this file, on a tiny BERT-style model folder generated here
// (test/harness/caption-model.ts: no real model can be downloaded here, and none is). One file,
// because Bun 1.4.5 aborts the process when a worker thread loads onnxruntime-node's binding after
// another worker that ran a session has ended, and each test file runs in a worker of its own.
//
// The embedders: the model one loaded from its folder alone, and what a folder that is missing or
// broken does to a starting node. Then a node started with REELS_MODEL_DIR, against a real
// database: reels store the model's name and its vectors when posted and when their caption is
// edited; the For You feed ranks by them and reads a vector of another embedder as none; the
// caption job turns reels of another embedder (or of none) into the model's, leaves deleted reels
// alone and never leaves two lengths side by side.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { TEST_CAPTION_WORDS, writeCaptionModel } from '../../test/harness/caption-model.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { startTestNode, testConfig } from '../../test/harness/node.ts';
import { runNodeToExit } from '../../test/harness/processes.ts';
import { createTempDir, type TempDir } from '../../test/harness/services.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { ConfigError } from '../errors.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { CaptionVectors } from './captions.ts';
import { type CaptionEmbedder, lexicalEmbedder, loadModelEmbedder, openCaptionEmbedder } from './embedder.ts';
import { LEXICAL_DIMENSIONS, lexicalEmbedding } from './vectors.ts';

const DIMENSIONS = 32;
let dir: TempDir;
/** The model loaded by the test itself; `embedder` is the node's, loaded from the same folder. */
let model: CaptionEmbedder;
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let embedder: CaptionEmbedder;

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

beforeAll(async () => {
  dir = createTempDir('caption-model');
  writeCaptionModel(join(dir.path, 'tiny'), { words: TEST_CAPTION_WORDS, dimensions: DIMENSIONS });
  model = await loadModelEmbedder(join(dir.path, 'tiny'));
  env = await startAccountsEnv('reel-captions', { REELS_MODEL_DIR: join(dir.path, 'tiny') });
  // Rounds are run by the tests, not by the node's timer.
  await env.node.social.captionVectors.job.stop();
  embedder = env.node.social.deps.captions;
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  dir.remove();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('reels: caption embedders', () => {
  test('caption embedder: the model loads from its folder with no network and gives unit vectors of its size, the same for the same text', async () => {
    const fetches = vi.spyOn(globalThis, 'fetch');
    const again = await loadModelEmbedder(join(dir.path, 'tiny'));
    const surf = (await again.embed('Surf en la playa #surf', ['surf'])) as number[];
    expect(fetches).not.toHaveBeenCalled();
    expect(again.dimensions).toBe(32);
    expect(again.name).toMatch(/^model-tiny-32-[0-9a-f]{8}$/);
    expect(again.name).toBe(model.name);
    expect(surf).toHaveLength(DIMENSIONS);
    expect(Math.hypot(...surf)).toBeCloseTo(1, 5);
    // Rounded like the lexical embedding.
    for (const value of surf) expect(Math.round(value * 1e6) / 1e6).toBe(value);
    expect(await model.embed('Surf en la playa #surf', ['surf'])).toEqual(surf);
  });

  test('caption embedder: captions sharing words are closer than unrelated ones; nothing to embed is none', async () => {
    const embed = async (text: string) => (await model.embed(text, [])) as number[];
    const surf = await embed('Surf en la playa');
    const surfToo = await embed('Olas grandes para surf en la playa');
    const cats = await embed('Gato en la siesta');
    const cooking = await embed('Receta de cocina para perros');
    expect(cosine(surf, surfToo)).toBeGreaterThan(cosine(surf, cats) + 0.2);
    expect(cosine(surf, surfToo)).toBeGreaterThan(cosine(surf, cooking) + 0.2);
    expect(cosine(cats, await embed('Gatos y siesta'))).toBeGreaterThan(cosine(cats, cooking) + 0.2);
    // No words (a mention, an emoji): nothing to embed, as with the lexical embedding.
    expect(await model.embed('@solo_una_mencion 🐶', [])).toBeNull();
    expect(await model.embed('', [])).toBeNull();
    // Only words the model gives no direction (unknown to this vocabulary): none either.
    expect(await model.embed('xyzzy qwerty', [])).toBeNull();
  });

  test('caption embedder: the lexical one without REELS_MODEL_DIR; new weights in the same folder are another embedder', async () => {
    expect(await openCaptionEmbedder(undefined)).toBe(lexicalEmbedder);
    expect(lexicalEmbedder).toMatchObject({ name: 'lexical-64', dimensions: LEXICAL_DIMENSIONS });
    expect(await lexicalEmbedder.embed('Luna en la playa #perros', ['perros'])).toEqual(
      lexicalEmbedding('Luna en la playa #perros', ['perros']),
    );
    const other = createTempDir('caption-model');
    try {
      writeCaptionModel(join(other.path, 'tiny'), { words: TEST_CAPTION_WORDS, dimensions: DIMENSIONS, seed: 7 });
      const retrained = await loadModelEmbedder(join(other.path, 'tiny'));
      expect(retrained.name).toMatch(/^model-tiny-32-/);
      expect(retrained.name).not.toBe(model.name);
    } finally {
      other.remove();
    }
  });

  test('caption embedder: a missing folder, one lacking files and one whose model does not load are ConfigErrors naming the folder', async () => {
    const missing = await configErrorOf(loadModelEmbedder(join(dir.path, 'nowhere')));
    expect(missing.variable).toBe('REELS_MODEL_DIR');
    expect(missing.message).toContain(join(dir.path, 'nowhere'));

    const lacking = join(dir.path, 'lacking');
    writeCaptionModel(lacking, { words: TEST_CAPTION_WORDS, dimensions: 8 });
    rmSync(join(lacking, 'onnx'), { recursive: true });
    rmSync(join(lacking, 'tokenizer.json'));
    const lacks = await configErrorOf(loadModelEmbedder(lacking));
    expect(lacks.message).toContain(lacking);
    expect(lacks.message).toContain('tokenizer.json');
    expect(lacks.message).toContain('onnx/model_quantized.onnx or onnx/model.onnx');

    const broken = join(dir.path, 'broken');
    writeCaptionModel(broken, { words: TEST_CAPTION_WORDS, dimensions: 8 });
    writeFileSync(join(broken, 'onnx', 'model_quantized.onnx'), 'not a model');
    const fails = await configErrorOf(loadModelEmbedder(broken));
    expect(fails.message).toContain(`the model in "${broken}" does not load or run`);
    expect(fails.cause).toBeDefined();
  });

  test('caption embedder: a node whose REELS_MODEL_DIR does not load does not start, and says which folder', async () => {
    const broken = join(dir.path, 'broken-node');
    writeCaptionModel(broken, { words: TEST_CAPTION_WORDS, dimensions: 8 });
    writeFileSync(join(broken, 'tokenizer.json'), '{ truncated');
    const config = testConfig({ REELS_MODEL_DIR: broken });
    try {
      const error = await configErrorOf(startTestNode(config));
      expect(error.message).toContain(broken);
      expect(error.code).toBe('CONFIG_INVALID');
    } finally {
      config.cleanup();
    }
    // The process says so as for any invalid variable, and exits with EX_CONFIG.
    const missing = join(dir.path, 'not-there');
    const result = await runNodeToExit({ REELS_MODEL_DIR: missing, LOG_LEVEL: 'silent' });
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      `petamigos: invalid configuration: REELS_MODEL_DIR: no model folder at "${missing}"`,
    ]);
  });
});

const db = () => env.node.platform.database.db;

async function reel(author: Member, caption: string) {
  const id = await mediaRow(db(), author.id, 'reel', { durationMs: 20_000 });
  return (await author.call('reels.create', { mediaId: id, audience: 'public', caption })).post.id;
}

async function stored(reelId: string) {
  const [row] = rowsOf<{ caption_vector: number[] | null; caption_model: string | null }>(
    await db().execute(sql`select caption_vector, caption_model from reels where post_id = ${reelId}`),
  );
  return row;
}

/** Gives a reel the lexical vector a node without a model would have stored. */
const makeLexical = (reelId: string, caption: string, hashtags: string[]) =>
  db().execute(sql`
    update reels set caption_vector = ${`{${(lexicalEmbedding(caption, hashtags) as number[]).join(',')}}`}::real[],
      caption_model = 'lexical-64' where post_id = ${reelId}`);

const retireOthers = () => db().execute(sql`update reels set deleted_at = now() where deleted_at is null`);

describe('reels: caption vectors from a model', () => {
  test('caption vectors: a reel stores the model’s name and vector when posted, and a caption edit (reels.edit, posts.edit) embeds it again', async () => {
    expect(embedder.name).toMatch(/^model-tiny-32-/);
    const author = await pool.member();
    const made = await reel(author, 'Surf en la playa #surf');
    const first = await stored(made);
    expect(first?.caption_model).toBe(embedder.name);
    expect(first?.caption_vector).toHaveLength(DIMENSIONS);
    expect(Math.hypot(...(first?.caption_vector ?? []))).toBeCloseTo(1, 4);
    const expected = (await embedder.embed('Surf en la playa #surf', ['surf'])) as number[];
    for (const [i, value] of (first?.caption_vector ?? []).entries()) expect(value).toBeCloseTo(expected[i] as number, 5);

    await author.call('reels.edit', { reelId: made, caption: 'Gato en la siesta #gatos' });
    const edited = (await stored(made))?.caption_vector as number[];
    expect(cosine(edited, (await embedder.embed('Gato en la siesta #gatos', ['gatos'])) as number[])).toBeCloseTo(1, 4);

    // An edit through posts.edit of a reel made lexical (as by a node without the model) brings it to the model.
    await makeLexical(made, 'Gato en la siesta #gatos', ['gatos']);
    await author.call('posts.edit', { postId: made, text: 'Receta de cocina para perros' });
    const again = await stored(made);
    expect(again?.caption_model).toBe(embedder.name);
    expect(again?.caption_vector).toHaveLength(DIMENSIONS);
    expect(cosine(again?.caption_vector as number[], (await embedder.embed('Receta de cocina para perros', [])) as number[])).toBeCloseTo(
      1,
      4,
    );

    // No words: no vector, but embedded by the model all the same (the job leaves it).
    const silent = await reel(author, '@nadie 🐶');
    expect(await stored(silent)).toEqual({ caption_vector: null, caption_model: embedder.name });
  });

  test('caption vectors: For You ranks by the model’s vectors; a viewer who watched #surf reels gets surf reels first, through why.embedding; another embedder’s vector counts as none', async () => {
    await retireOthers();
    const viewer = await pool.member();
    const [surfer, surferToo, catPerson, cook, other] = await Promise.all(Array.from({ length: 5 }, () => pool.member()));
    const watched = [
      await reel(surfer as Member, 'Surf en la playa #surf'),
      await reel(surferToo as Member, 'Olas grandes para surf #surf'),
    ];
    await viewer.call('reels.watch', {
      items: watched.map((reelId) => ({ reelId, watchedMs: 20_000, completed: true, skipped: false, source: 'for_you' as const })),
    });
    const surf = await reel(other as Member, 'Tabla de surf al atardecer #surf');
    // Shares words with what the viewer watched but no hashtag: only the embedding can tell.
    const waves = await reel(surfer as Member, 'Olas y tabla en la playa');
    const cats = await reel(catPerson as Member, 'Gato en la siesta #gatos');
    const cooking = await reel(cook as Member, 'Receta de cocina para perros');
    const page = await viewer.call('reels.forYou', {});
    const why = new Map(page.items.map((item) => [item.reel.post.id, item.why]));
    const embedding = (id: string) => why.get(id)?.embedding ?? Number.NaN;
    for (const unrelated of [cats, cooking]) {
      expect(embedding(surf)).toBeGreaterThan(embedding(unrelated) + 0.2);
      expect(embedding(waves)).toBeGreaterThan(embedding(unrelated) + 0.2);
    }
    expect(why.get(waves)?.hashtags).toBe(0);
    expect(why.get(cats)?.hashtags).toBe(0);
    const order = page.items.map((item) => item.reel.post.id);
    expect(order.indexOf(surf)).toBeLessThan(order.indexOf(cats));
    expect(order.indexOf(waves)).toBeLessThan(order.indexOf(cats));
    expect(order.indexOf(waves)).toBeLessThan(order.indexOf(cooking));

    // The same caption with a lexical vector: another space, read as no vector at all.
    await makeLexical(waves, 'Olas y tabla en la playa', []);
    const after = new Map((await viewer.call('reels.forYou', {})).items.map((item) => [item.reel.post.id, item.why]));
    expect(after.get(waves)?.embedding).toBe(0);
    expect(after.get(surf)?.embedding).toBeGreaterThan(0.2);
  });

  test('caption vectors: the caption job re-embeds reels of another embedder or of none with the model, leaves deleted ones, and never mixes lengths', async () => {
    const author = await pool.member();
    const captions = ['Surf en la playa #surf', 'Gato en la siesta #gatos', 'Receta de cocina para perros', 'Olas grandes #surf'];
    const made: string[] = [];
    for (const caption of captions) made.push(await reel(author, caption));
    const [lexical, lexicalToo, unknown, deleted] = made as [string, string, string, string];
    await makeLexical(lexical, captions[0] as string, ['surf']);
    await makeLexical(lexicalToo, captions[1] as string, ['gatos']);
    await db().execute(sql`update reels set caption_model = null where post_id = ${unknown}`);
    await makeLexical(deleted, captions[3] as string, ['surf']);
    await author.call('posts.delete', { postId: deleted });

    const job = env.node.social.captionVectors;
    expect(await job.round()).toBeGreaterThanOrEqual(3);
    for (const [i, id] of [lexical, lexicalToo, unknown].entries()) {
      const row = await stored(id);
      expect(row?.caption_model).toBe(embedder.name);
      const expected = (await embedder.embed(captions[i] as string, [])) as number[];
      expect(cosine(row?.caption_vector as number[], expected)).toBeCloseTo(1, 4);
    }
    expect((await stored(deleted))?.caption_model).toBe('lexical-64');
    // Every reel that is not deleted has the model's vector (or none), never one of another length.
    const kinds = rowsOf<{ caption_model: string | null; length: number | null }>(
      await db().execute(sql`select distinct caption_model, array_length(caption_vector, 1) as length from reels where deleted_at is null`),
    );
    for (const kind of kinds) {
      expect(kind.caption_model).toBe(embedder.name);
      expect([DIMENSIONS, null]).toContain(kind.length);
    }
    // Nothing left to do.
    expect(await job.round()).toBe(0);
  });

  test('caption vectors: the job keeps the vector of a caption edited while it was embedding the old one', async () => {
    const author = await pool.member();
    const made = await reel(author, 'Surf en la playa #surf');
    await makeLexical(made, 'Surf en la playa #surf', ['surf']);
    // An embedder of the node's name that sees the caption change under it (as an edit on a node
    // still on the old embedder would, mid-round).
    const racing: CaptionEmbedder = {
      name: embedder.name,
      dimensions: embedder.dimensions,
      async embed(text, hashtags) {
        await db().execute(sql`update posts set text = 'Gato en la siesta' where id = ${made}`);
        return embedder.embed(text, hashtags);
      },
    };
    const job = new CaptionVectors({ db: db(), log: env.node.platform.log, node: 'test', everyMs: 60_000, embedder: racing });
    expect(await job.round()).toBe(0);
    expect((await stored(made))?.caption_model).toBe('lexical-64');
    // The next round embeds the caption as it now is.
    expect(await env.node.social.captionVectors.round()).toBe(1);
    const row = await stored(made);
    expect(cosine(row?.caption_vector as number[], (await embedder.embed('Gato en la siesta', [])) as number[])).toBeCloseTo(1, 4);
  });
});
