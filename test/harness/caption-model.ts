// A tiny BERT-style model folder for transformers.js, generated where the tests run (no model can
// be downloaded there): config.json, tokenizer_config.json, a WordPiece tokenizer.json whose
// vocabulary is the words given, and onnx/model_quantized.onnx, a graph whose `last_hidden_state`
// is each token's row of an embedding table (a Gather) times the attention mask. The rows are
// pseudo-random (seeded, so every run writes the same model) and nearly orthogonal, and those of
// special tokens, punctuation and unknown words are zero: after mean pooling, captions sharing
// words point the same way and unrelated ones do not. It is not semantic ("dog" and "puppy" are as
// far apart as "dog" and "tax"); it exercises the real loader, tokenizer, runtime and pooling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** Tokens the BERT pre-tokenizer splits off as punctuation, given zero rows so they say nothing. */
const PUNCTUATION = ['#', '@', '.', ',', '!', '?', '¡', '¿'];

/** Words the reels tests' captions are made of; stop words ("en", "la") are left unknown. */
export const TEST_CAPTION_WORDS = [
  'surf',
  'olas',
  'playa',
  'tabla',
  'atardecer',
  'grandes',
  'gato',
  'gatos',
  'siesta',
  'cocina',
  'receta',
  'perros',
];

export interface CaptionModelOptions {
  /** Lower-case words the vocabulary knows; every other word is [UNK]. */
  words: readonly string[];
  dimensions: number;
  seed?: number;
}

/** mulberry32: a small seeded generator, so the model is the same on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function tokenizerJson(vocab: Record<string, number>) {
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const token = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]')],
      pair: [token('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, token('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, token('[SEP]')],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((name) => [name, { id: name, ids: [vocab[name]], tokens: [name] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

function graph(rows: number[][], dimensions: number): Uint8Array {
  const { TensorProto } = onnx;
  const int64 = TensorProto.DataType.INT64;
  const sequenceInput = (name: string) => ({
    name,
    type: { tensorType: { elemType: int64, shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'petamigos-test',
    opsetImport: [{ domain: '', version: 11 }],
    graph: {
      name: 'token_embeddings',
      initializer: [{ name: 'embeddings', dataType: TensorProto.DataType.FLOAT, dims: [rows.length, dimensions], floatData: rows.flat() }],
      node: [
        { opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['gathered'], attribute: [{ name: 'axis', i: 0, type: 2 }] },
        {
          opType: 'Cast',
          input: ['attention_mask'],
          output: ['mask_float'],
          attribute: [{ name: 'to', i: TensorProto.DataType.FLOAT, type: 2 }],
        },
        { opType: 'Unsqueeze', input: ['mask_float'], output: ['mask'], attribute: [{ name: 'axes', ints: [2], type: 7 }] },
        { opType: 'Mul', input: ['gathered', 'mask'], output: ['last_hidden_state'] },
      ],
      input: [sequenceInput('input_ids'), sequenceInput('attention_mask'), sequenceInput('token_type_ids')],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: TensorProto.DataType.FLOAT,
              shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: dimensions }] },
            },
          },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes the model folder into `dir` (created if missing). */
export function writeCaptionModel(dir: string, options: CaptionModelOptions): void {
  const random = generator(options.seed ?? 20);
  const tokens = [...SPECIAL, ...PUNCTUATION, ...new Set(options.words.map((word) => word.toLowerCase()))];
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const silent = new Set<string>([...SPECIAL, ...PUNCTUATION]);
  const rows = tokens.map((token) =>
    Array.from({ length: options.dimensions }, () => (silent.has(token) ? 0 : Math.round((random() * 2 - 1) * 1000) / 1000)),
  );
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value, null, 2));
  json('config.json', { model_type: 'bert', architectures: ['BertModel'], hidden_size: options.dimensions, vocab_size: tokens.length });
  json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer',
    model_max_length: 128,
    do_lower_case: true,
    clean_up_tokenization_spaces: true,
  });
  json('tokenizer.json', tokenizerJson(vocab));
  writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), graph(rows, options.dimensions));
}
