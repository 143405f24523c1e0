// Voice notes through ffmpeg: Opus in Ogg (what browsers play best) and AAC in MP4 (for Safari),
// mono, and a waveform of 64 peaks (0..255) for the player to draw before it plays.
import { join } from 'node:path';
import { ffmpeg, type Probe, run } from './ffmpeg.ts';

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

function pcm(input: string): Promise<Int16Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = ffmpeg(input)
      .noVideo()
      .audioChannels(1)
      .audioFrequency(PCM_RATE)
      .format('s16le')
      .on('error', (error: Error) => reject(new Error(`ffmpeg failed: ${error.message}`, { cause: error })))
      .pipe();
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const all = Buffer.concat(chunks);
      resolve(new Int16Array(all.buffer, all.byteOffset, Math.floor(all.byteLength / 2)));
    });
  });
}

export async function processVoice(input: string, probed: Probe, outDir: string): Promise<ProcessedVoice> {
  if (!probed.audio) throw new Error('the file has no audio stream');
  await run(
    ffmpeg(input).noVideo().outputOptions('-ac', '1', '-c:a', 'libopus', '-b:a', '32k').output(join(outDir, 'voice.ogg')),
    probed.durationMs,
  );
  await run(
    ffmpeg(input)
      .noVideo()
      .outputOptions('-ac', '1', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart')
      .output(join(outDir, 'voice.m4a')),
    probed.durationMs,
  );
  const samples = await pcm(input);
  return {
    durationMs: Math.round((samples.length / PCM_RATE) * 1000),
    files: [
      { name: 'voice.ogg', mime: 'audio/ogg' },
      { name: 'voice.m4a', mime: 'audio/mp4' },
    ],
    waveform: waveformOf(samples),
  };
}
