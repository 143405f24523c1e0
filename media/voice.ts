// Voice notes through ffmpeg: Opus in Ogg (what browsers play best) and AAC in MP4 (for Safari),
// mono, and a waveform of 64 peaks (0..255) for the player to draw before it plays. The input is
// read for at most `maxDurationMs` and a second: a tiny file that decodes to hours of sound costs
// no more than the longest note allowed, and a decoded length past the limit tells it was longer.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Input, inputArguments, type Probe, runFfmpeg } from './ffmpeg.ts';

const WAVEFORM_BARS = 64;

export interface ProcessedVoice {
  files: { name: 'voice.ogg' | 'voice.m4a'; mime: string }[];
  waveform: number[];
  /** From the decoded samples: recordings from browsers often carry no duration in their header. */
  durationMs: number;
}

/** Peaks of `bars` equal slices of 16-bit mono samples, scaled so the loudest is 255. */
function waveformOf(samples: Int16Array, bars = WAVEFORM_BARS): number[] {
  const peaks = new Array<number>(bars).fill(0);
  if (samples.length === 0) return peaks;
  for (let i = 0; i < samples.length; i++) {
    const bar = Math.min(bars - 1, Math.floor((i * bars) / samples.length));
    const value = Math.abs(samples[i] as number);
    if (value > (peaks[bar] as number)) peaks[bar] = value;
  }
  const loudest = Math.max(...peaks);
  return loudest === 0 ? peaks : peaks.map((peak) => Math.round((peak / loudest) * 255));
}

const PCM_RATE = 8000;

export interface VoiceOptions {
  /** Each ffmpeg run is killed past this. */
  timeoutMs: number;
  maxDurationMs: number;
}

export async function processVoice(input: Input, probed: Probe, outDir: string, options: VoiceOptions): Promise<ProcessedVoice> {
  if (!probed.audio) throw new Error('the file has no audio stream');
  const source = inputArguments(input, ['-t', String((options.maxDurationMs + 1000) / 1000)]);
  const run = (args: string[]) => runFfmpeg([...source, '-vn', '-ac', '1', ...args], { timeoutMs: options.timeoutMs });
  await run(['-c:a', 'libopus', '-b:a', '32k', join(outDir, 'voice.ogg')]);
  await run(['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', join(outDir, 'voice.m4a')]);
  // Raw samples next to the renditions (only the files named below are stored), read and removed.
  const raw = join(outDir, 'samples.s16le');
  await run(['-ar', String(PCM_RATE), '-f', 's16le', raw]);
  const bytes = await readFile(raw);
  await rm(raw);
  const samples = new Int16Array(new Uint8Array(bytes).buffer, 0, Math.floor(bytes.byteLength / 2));
  return {
    durationMs: Math.round((samples.length / PCM_RATE) * 1000),
    files: [
      { name: 'voice.ogg', mime: 'audio/ogg' },
      { name: 'voice.m4a', mime: 'audio/mp4' },
    ],
    waveform: waveformOf(samples),
  };
}
