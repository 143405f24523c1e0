// The caption embedders without a database: the model one on a tiny generated model folder
// (test/harness/caption-model.ts; no model can be downloaded here, and none is), loaded from the
// folder alone, and what a folder that is missing or broken does to a starting node.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { TEST_CAPTION_WORDS as TEST_WORDS, writeCaptionModel } from '../../test/harness/caption-model.ts';
import { startTestNode, testConfig } from '../../test/harness/node.ts';
import { runNodeToExit } from '../../test/harness/processes.ts';
import { createTempDir, type TempDir } from '../../test/harness/services.ts';
import { ConfigError } from '../errors.ts';
import { type CaptionEmbedder, lexicalEmbedder, loadModelEmbedder, openCaptionEmbedder } from './embedder.ts';
import { LEXICAL_DIMENSIONS, lexicalEmbedding } from './vectors.ts';

let dir: TempDir;
let model: CaptionEmbedder;

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

beforeAll(async () => {
  dir = createTempDir('caption-model');
  writeCaptionModel(join(dir.path, 'tiny'), { words: TEST_WORDS, dimensions: 32 });
  model = await loadModelEmbedder(join(dir.path, 'tiny'));
});
afterAll(() => dir.remove());
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
    expect(surf).toHaveLength(32);
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
      writeCaptionModel(join(other.path, 'tiny'), { words: TEST_WORDS, dimensions: 32, seed: 7 });
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
    writeCaptionModel(lacking, { words: TEST_WORDS, dimensions: 8 });
    rmSync(join(lacking, 'onnx'), { recursive: true });
    rmSync(join(lacking, 'tokenizer.json'));
    const lacks = await configErrorOf(loadModelEmbedder(lacking));
    expect(lacks.message).toContain(lacking);
    expect(lacks.message).toContain('tokenizer.json');
    expect(lacks.message).toContain('onnx/model_quantized.onnx or onnx/model.onnx');

    const broken = join(dir.path, 'broken');
    writeCaptionModel(broken, { words: TEST_WORDS, dimensions: 8 });
    writeFileSync(join(broken, 'onnx', 'model_quantized.onnx'), 'not a model');
    const fails = await configErrorOf(loadModelEmbedder(broken));
    expect(fails.message).toContain(`the model in "${broken}" does not load or run`);
    expect(fails.cause).toBeDefined();
  });

  test('caption embedder: a node whose REELS_MODEL_DIR does not load does not start, and says which folder', async () => {
    const broken = join(dir.path, 'broken-node');
    writeCaptionModel(broken, { words: TEST_WORDS, dimensions: 8 });
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
