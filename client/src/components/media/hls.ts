// HLS playback: Safari and others play the playlist themselves; elsewhere (Chromium) hls.js feeds
// the video through Media Source Extensions. hls.js is loaded the first time a video needs it, so
// screens without videos never download it. Segments load only once the user plays.
import type Hls from 'hls.js';

const NATIVE_HLS = 'application/vnd.apple.mpegurl';

/** Plays `src` (an .m3u8) in `video`, from `startSeconds` (a story's clip) or the start; returns the function that stops and releases it. */
export async function attachHls(video: HTMLVideoElement, src: string, startSeconds = -1): Promise<() => void> {
  if (video.canPlayType(NATIVE_HLS) !== '') {
    video.src = src;
    return () => {
      video.removeAttribute('src');
      video.load();
    };
  }
  const { default: HlsPlayer } = await import('hls.js');
  if (!HlsPlayer.isSupported()) {
    video.src = src;
    return () => video.removeAttribute('src');
  }
  const hls: Hls = new HlsPlayer({ autoStartLoad: false, capLevelToPlayerSize: true, startPosition: startSeconds });
  let loading = false;
  const start = () => {
    if (loading) return;
    loading = true;
    hls.startLoad(startSeconds);
  };
  video.addEventListener('play', start);
  hls.loadSource(src);
  hls.attachMedia(video);
  return () => {
    video.removeEventListener('play', start);
    hls.destroy();
  };
}
