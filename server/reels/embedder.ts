// The caption embedder of a node: what turns a reel's caption into its caption vector. Without
// REELS_MODEL_DIR it is the lexical embedding (vectors.ts, `lexical-64`); with it, a sentence-
// embedding model run by transformers.js from that folder only (no download, ever): the mean of
// the model's token vectors over the caption (mask applied), scaled to unit length. A model is
// loaded once per node, at start, so a folder that is missing or does not load stops the node
// with a ConfigError instead of leaving it on another embedder than its peers.
//
// The embedder's name is stored with every vector (reels.caption_model): vectors of two embedders
// live in unrelated spaces, so the For You feed reads a vector of another embedder as none, and
// the caption job (captions.ts) re-embeds those reels with the current one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { ConfigError } from '../errors.ts';
import { LEXICAL_DIMENSIONS, lexicalEmbedding, withoutMentions, wordsOf } from './vectors.ts';

export interface CaptionEmbedder {
  /** Stored with each vector: the same name means the same space (and length). */
  name: string;
  dimensions: number;
  /** Unit length, rounded to 6 decimals; null for a caption with nothing to embed. */
  embed(text: string, hashtags: readonly string[]): Promise<number[] | null>;
}

const VARIABLE = 'REELS_MODEL_DIR';
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

export const lexicalEmbedder: CaptionEmbedder = {
  name: `lexical-${LEXICAL_DIMENSIONS}`,
  dimensions: LEXICAL_DIMENSIONS,
  embed: async (text, hashtags) => lexicalEmbedding(text, hashtags),
};

function unitRounded(values: ArrayLike<number>): number[] | null {
  const vector = Array.from(values);
  const norm = Math.hypot(...vector);
  if (!Number.isFinite(norm) || norm === 0) return null;
  return vector.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

// transformers.js reads its settings from one object per process: loads take turns, so two nodes
// of one process (tests) never read each other's folder. It is imported only when a model is
// configured: importing it loads onnxruntime-node's native binding, and Bun 1.4.5 aborts the
// process when a worker thread loads that binding after another worker that ran a session ended
// (tests run in worker threads; see caption-model.test.ts).
let loads: Promise<unknown> = Promise.resolve();

async function loadPipeline(dir: string, quantized: boolean): Promise<FeatureExtractionPipeline> {
  const turn = loads.then(async () => {
    const { env, pipeline } = await import('@xenova/transformers');
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.localModelPath = `${dirname(dir)}/`;
    return pipeline('feature-extraction', basename(dir), { local_files_only: true, quantized });
  });
  // The queue only orders the loads: a failed one is reported to its own caller through `turn`.
  loads = turn.then(
    () => undefined,
    () => undefined,
  );
  return turn;
}

/**
 * The model in `dir` (a transformers.js folder: config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model_quantized.onnx or onnx/model.onnx), loaded and tried once. Named
 * `model-<folder>-<dimensions>-<8 hex of the weights' and tokenizer's SHA-256>`, so new weights
 * put in the same folder are a new embedder too.
 */
export async function loadModelEmbedder(modelDir: string): Promise<CaptionEmbedder> {
  const dir = resolve(modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigError(`${VARIABLE}: no model folder at "${dir}"`, { variable: VARIABLE });
  const quantized = existsSync(join(dir, 'onnx', 'model_quantized.onnx'));
  const weights = join(dir, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
  const missing = MODEL_FILES.filter((file) => !existsSync(join(dir, file)));
  if (!existsSync(weights)) missing.push('onnx/model_quantized.onnx or onnx/model.onnx');
  if (missing.length > 0)
    throw new ConfigError(`${VARIABLE}: the model folder "${dir}" lacks ${missing.join(', ')}`, { variable: VARIABLE });
  let extractor: FeatureExtractionPipeline;
  let dimensions: number;
  try {
    extractor = await loadPipeline(dir, quantized);
    const probe = await extractor('probe', { pooling: 'mean', normalize: false });
    dimensions = probe.dims.at(-1) ?? 0;
    if (probe.dims.length !== 2 || dimensions < 1) throw new Error(`its pooled output has dimensions [${probe.dims.join(', ')}]`);
  } catch (error) {
    throw new ConfigError(
      `${VARIABLE}: the model in "${dir}" does not load or run: ${error instanceof Error ? error.message : String(error)}`,
      { variable: VARIABLE, cause: error },
    );
  }
  const hash = createHash('sha256')
    .update(readFileSync(weights))
    .update(readFileSync(join(dir, 'tokenizer.json')));
  return {
    name: `model-${basename(dir)}-${dimensions}-${hash.digest('hex').slice(0, 8)}`,
    dimensions,
    async embed(text, hashtags) {
      // Hashtags are words of the text already (posts take them from it); mentions are left out.
      if (wordsOf(text).length === 0 && hashtags.length === 0) return null;
      const output = await extractor(withoutMentions(text), { pooling: 'mean', normalize: false });
      return unitRounded(output.data as Float32Array);
    },
  };
}

/** The node's embedder: the model in `modelDir`, or the lexical embedding when it is unset. */
export function openCaptionEmbedder(modelDir: string | undefined): Promise<CaptionEmbedder> {
  return modelDir === undefined ? Promise.resolve(lexicalEmbedder) : loadModelEmbedder(modelDir);
}
