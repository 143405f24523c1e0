// A post (or reel) shared in a message (`postId` on ChatMessage): the message names it only, so it
// is opened here with posts.get under the reader's own access — the author, a line of its text and
// its first picture, linking to the post (a reel to its player); "This post is unavailable" when
// the reader may not see it or it was deleted.
import { A } from '@solidjs/router';
import { Clapperboard } from 'lucide-solid';
import { createResource, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { mediaItem } from '../../state/media.ts';
import { actions } from '../../state/store.ts';
import { thumbOf } from '../media/sources.ts';
import { Avatar } from '../Person.tsx';

/** Posts already opened in this page, by id: a conversation often shares one post more than once. */
const opened = new Map<string, ReturnType<typeof open>>();

function open(postId: string) {
  return actions.call('posts.get', { postId }).then(
    (post) => post,
    () => null,
  );
}

export function MessageSharedPost(props: { postId: string }): JSX.Element {
  const [post] = createResource(
    () => props.postId,
    (postId) => {
      const known = opened.get(postId) ?? open(postId);
      opened.set(postId, known);
      return known;
    },
  );
  const reel = () => {
    const first = post()?.mediaIds[0];
    return first !== undefined && mediaItem(first)?.kind === 'reel';
  };
  const href = () => (reel() ? `/reels/${props.postId}` : `/posts/${props.postId}`);
  return (
    <Show when={!post.loading} fallback={<div class="shared-post loading" data-testid="shared-post" aria-busy="true" />}>
      <Show
        when={post()}
        fallback={
          <p class="shared-post gone" data-testid="shared-post">
            {t('post.unavailable')}
          </p>
        }
      >
        {(shown) => (
          <A class="shared-post" href={href()} data-testid="shared-post">
            <Show when={shown().mediaIds[0]}>
              {(mediaId) => (
                <span class="shared-post-thumb">
                  <Show when={thumbOf(mediaId())}>{(src) => <img class="shared-post-img" src={src()} alt="" />}</Show>
                  <Show when={reel()}>
                    <Clapperboard class="shared-post-reel" size={18} aria-hidden="true" />
                  </Show>
                </span>
              )}
            </Show>
            <span class="shared-post-body">
              <span class="shared-post-author">
                <Avatar name={shown().author.displayName || shown().author.username} mediaId={shown().author.avatarMediaId} />
                <bdi>{shown().author.displayName || shown().author.username}</bdi>
              </span>
              <span class="shared-post-text" dir="auto">
                {shown().text || (reel() ? t('chats.sharedReel') : t('chats.sharedPost'))}
              </span>
            </span>
          </A>
        )}
      </Show>
    </Show>
  );
}
