// ffmpeg and ffprobe through fluent-ffmpeg: a probe that reads what a file holds (a file ffprobe
// cannot read is not media), and a runner that reports progress as a fraction of the input's
// duration. Options are passed one argument each: fluent-ffmpeg splits a string holding exactly
// one space, which breaks values such as `-var_stream_map` (notes/dependencies-offline.md).
import ffmpeg from 'fluent-ffmpeg';

export interface Probe {
  /** Undefined when the container does not say (WebM from MediaRecorder, written as a stream). */
  durationMs: number | undefined;
  /** Width and height as shown (a rotated phone video is taller than wide). */
  video: { width: number; height: number } | undefined;
  audio: boolean;
}

export function probe(path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    ffmpeg.ffprobe(path, (error, data) => {
      if (error) return reject(error as Error);
      const video = data.streams.find((stream) => stream.codec_type === 'video' && (stream.width ?? 0) > 0);
      const rotation = Number(
        (video?.tags as Record<string, unknown> | undefined)?.rotate ??
          (video?.side_data_list as { rotation?: number }[] | undefined)?.find((side) => side.rotation !== undefined)?.rotation ??
          0,
      );
      const upright = Math.abs(rotation) % 180 === 90;
      resolve({
        durationMs: Number.isFinite(Number(data.format.duration)) ? Math.round(Number(data.format.duration) * 1000) : undefined,
        video:
          video === undefined
            ? undefined
            : {
                width: (upright ? video.height : video.width) ?? 0,
                height: (upright ? video.width : video.height) ?? 0,
              },
        audio: data.streams.some((stream) => stream.codec_type === 'audio'),
      });
    });
  });
}

/** Runs a prepared command; `onProgress` gets 0..1 from the time ffmpeg reached in the input. */
export function run(command: ffmpeg.FfmpegCommand, durationMs: number | undefined, onProgress?: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('progress', (progress: { timemark?: string }) => {
        if (onProgress === undefined || durationMs === undefined || durationMs <= 0 || progress.timemark === undefined) return;
        const [h, m, s] = progress.timemark.split(':').map(Number);
        const reached = ((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)) * 1000;
        onProgress(Math.max(0, Math.min(1, reached / durationMs)));
      })
      .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        const last = stderr?.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`ffmpeg failed: ${error.message}${last ? ` (${last})` : ''}`, { cause: error }));
      })
      .on('end', () => resolve())
      .run();
  });
}

export { ffmpeg };
