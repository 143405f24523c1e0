// What is drawn over a story's photo or video: its text overlays where the author put them (x and
// y are fractions of the width from the left and of the height from the top, whatever the
// language's direction), with @mentions of people the viewer may see as links to their profiles;
// and the hashtag and linked-post chips, which the viewer places in its bottom row (over the
// sticker and the reply field, never under them). Overlay text is the author's: isolated for bidi.
import { A } from '@solidjs/router';
import { Link2 } from 'lucide-solid';
import { For, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Story } from '../../state/stories.ts';

type Piece = { text: string } | { text: string; username: string };

/** The overlay's text cut around the @mentions the story names (others stay text). */
function mentionPieces(text: string, mentions: readonly { username: string }[]): Piece[] {
  const known = new Set(mentions.map((mention) => mention.username.toLowerCase()));
  const pieces: Piece[] = [];
  let from = 0;
  for (const match of text.matchAll(/@([A-Za-z0-9_.]+)/g)) {
    const username = match[1] as string;
    if (!known.has(username.toLowerCase())) continue;
    if (match.index > from) pieces.push({ text: text.slice(from, match.index) });
    pieces.push({ text: match[0], username });
    from = match.index + match[0].length;
  }
  if (from < text.length) pieces.push({ text: text.slice(from) });
  return pieces;
}

export function OverlayText(props: { overlay: Story['overlays'][number]; mentions: Story['mentions']; children?: JSX.Element }) {
  return (
    <p
      class={`story-overlay color-${props.overlay.color}`}
      style={{ left: `${props.overlay.x * 100}%`, top: `${props.overlay.y * 100}%` }}
      dir="auto"
      data-testid="story-overlay"
    >
      <For each={mentionPieces(props.overlay.text, props.mentions)}>
        {(piece) =>
          'username' in piece ? (
            <A href={`/u/${encodeURIComponent(piece.username)}`} class="story-mention">
              {piece.text}
            </A>
          ) : (
            piece.text
          )
        }
      </For>
      {props.children}
    </p>
  );
}

export function StoryOverlays(props: { story: Story }): JSX.Element {
  return <For each={props.story.overlays}>{(overlay) => <OverlayText overlay={overlay} mentions={props.story.mentions} />}</For>;
}

export function StoryChips(props: { story: Story }): JSX.Element {
  return (
    <Show when={props.story.hashtag !== null || props.story.linkPostId !== null}>
      <div class="story-chips">
        <Show when={props.story.hashtag}>
          {(tag) => (
            <A href={`/hashtags/${encodeURIComponent(tag())}`} class="story-chip" data-testid="story-hashtag">
              #<bdi>{tag()}</bdi>
            </A>
          )}
        </Show>
        <Show when={props.story.linkPostId}>
          {(postId) => (
            <A href={`/posts/${postId()}`} class="story-chip" data-testid="story-link">
              <Link2 size={14} aria-hidden="true" />
              {t('stories.linkedPost')}
            </A>
          )}
        </Show>
      </div>
    </Show>
  );
}
