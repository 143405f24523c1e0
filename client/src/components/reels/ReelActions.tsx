// The column of actions beside a reel (at the inline end: the right, the left in Arabic and Urdu),
// each a white icon over its count: the author (to their profile, with a + to follow them while
// the user does not and may), the reaction button, the
// comments (the post's thread in a sheet), sharing (as a post or in a chat, the post's share
// dialog), sending treats to its author (not on one's own), saving, and a menu: duet and stitch (when its author allows them and it is public),
// "not interested" and report, or for the author their reel's analytics. A reel is a post: every one of these is the posts call on its id, through the same
// components a post card uses.
import { A } from '@solidjs/router';
import { Ellipsis, MessageCircle, Plus, Share2 } from 'lucide-solid';
import { createEffect, createSignal, type JSX, on, Show } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import { formatNumber, t } from '../../i18n/index.ts';
import type { Post } from '../../state/posts.ts';
import { actions, errorText, state } from '../../state/store.ts';
import { createThread } from '../../state/thread.ts';
import { CommentForm, CommentLevel } from '../Comments.tsx';
import { Dialog } from '../Dialog.tsx';
import { Avatar } from '../Person.tsx';
import { ReportDialog, ShareDialog } from '../PostDialogs.tsx';
import { ReactionButton } from '../ReactionButton.tsx';
import { SaveButton } from '../SaveButton.tsx';
import { TipButton, TipDialog } from '../treats/TipDialog.tsx';

type Open = 'none' | 'comments' | 'share' | 'report' | 'tip';

/** Whether the user may follow someone and does not yet, asked once per person in a session (a player shows one creator many times). */
const followable = new Map<string, Promise<boolean>>();
function mayFollow(userId: string): Promise<boolean> {
  let known = followable.get(userId);
  if (known === undefined) {
    known = actions.call('profile.get', { userId }).then(
      (profile) => profile.canFollow && !profile.relation.following && profile.relation.state !== 'self',
      // Only an offer: without an answer there is no + (the profile still follows from its page).
      () => false,
    );
    followable.set(userId, known);
  }
  return known;
}

function ReelComments(props: { post: Post; onClose: () => void }): JSX.Element {
  const thread = createThread(props.post.id);
  void thread.load(null);
  return (
    <Dialog title={t('comments.title')} onClose={props.onClose} testId="reel-comments">
      <div class="reel-comments">
        <CommentLevel thread={thread} postAuthorId={props.post.author.id} parentId={null} />
        <CommentForm
          id="reel-comment-new"
          label={t('comments.write')}
          submitLabel={t('comments.send')}
          send={(text) => thread.add(text, null)}
        />
      </div>
    </Dialog>
  );
}

export function ReelActions(props: {
  post: Post;
  /** Whether its author lets others duet it and stitch it. */
  remix: { duet: boolean; stitch: boolean };
  /** On screen: only then is the author's relation asked. */
  current: boolean;
  setPost: SetStoreFunction<Post>;
  onNotInterested: () => void;
  /** A dialog or menu is open: the reel waits. */
  onBusy: (busy: boolean) => void;
}): JSX.Element {
  const [open, setOpenSignal] = createSignal<Open>('none');
  const setOpen = (next: Open) => {
    setOpenSignal(next);
    props.onBusy(next !== 'none');
  };
  const name = () => props.post.author.displayName || props.post.author.username;
  const mine = () => props.post.author.id === state.user?.id;
  const [canFollow, setCanFollow] = createSignal(false);
  createEffect(
    on(
      () => (props.current && !mine() ? props.post.author.id : undefined),
      (userId) => {
        if (userId !== undefined) void mayFollow(userId).then((may) => props.post.author.id === userId && setCanFollow(may));
      },
    ),
  );
  const followAuthor = async () => {
    const userId = props.post.author.id;
    setCanFollow(false);
    try {
      await actions.call('follows.follow', { userId });
      followable.set(userId, Promise.resolve(false));
    } catch (error) {
      setCanFollow(true);
      actions.toast(errorText(error), 'error');
    }
  };
  let menu: HTMLDetailsElement | undefined;
  const choose = (run: () => void) => {
    if (menu !== undefined) menu.open = false;
    run();
  };
  return (
    <div class="reel-actions" data-testid="reel-actions">
      <div class="reel-author-box">
        <A
          href={`/u/${encodeURIComponent(props.post.author.username)}`}
          class="reel-author-avatar"
          aria-label={t('reels.profileOf', { name: name() })}
        >
          <Avatar name={name()} mediaId={props.post.author.avatarMediaId} />
        </A>
        <Show when={canFollow()}>
          <button
            type="button"
            class="reel-follow"
            aria-label={`${t('relation.follow')} · ${name()}`}
            title={t('relation.follow')}
            onClick={() => void followAuthor()}
            data-testid="reel-follow"
          >
            <Plus size={14} stroke-width={3} aria-hidden="true" />
          </button>
        </Show>
      </div>
      <ReactionButton
        label={t('reaction.forPost', { name: name() })}
        counts={props.post.reactions}
        mine={props.post.myReaction}
        onChange={(reactions, myReaction) => props.setPost({ reactions, myReaction })}
        send={(kind) => actions.call('posts.react', { postId: props.post.id, kind })}
      />
      <button type="button" class="post-action" data-testid="reel-comments-open" onClick={() => setOpen('comments')}>
        <MessageCircle size={28} aria-hidden="true" />
        <span class="visually-hidden">{t('post.comments', { count: props.post.comments })}</span>
        <span aria-hidden="true">{formatNumber(props.post.comments)}</span>
      </button>
      <button type="button" class="post-action" data-testid="reel-share" onClick={() => setOpen('share')}>
        <Share2 size={28} aria-hidden="true" />
        <span class="visually-hidden">{`${t('post.share')} · ${t('post.shares', { count: props.post.shares })}`}</span>
        <span aria-hidden="true">{formatNumber(props.post.shares)}</span>
      </button>
      <Show when={!mine()}>
        <TipButton author={props.post.author} iconSize={28} onClick={() => setOpen('tip')} />
      </Show>
      <SaveButton
        saved={props.post.saved}
        onChange={(saved) => props.setPost('saved', saved)}
        send={(saved) => actions.call('posts.save', { postId: props.post.id, saved })}
      />
      <details class="menu reel-menu" ref={menu} onToggle={(event) => props.onBusy(event.currentTarget.open || open() !== 'none')}>
        <summary aria-label={t('reels.more', { name: name() })} class="post-action">
          <Ellipsis size={28} aria-hidden="true" />
        </summary>
        <div class="menu-items">
          <Show when={props.post.visibility === 'public' && props.remix.duet}>
            <A class="link" href={`/create/reel?duet=${props.post.id}`} data-testid="reel-duet">
              {t('reels.duet')}
            </A>
          </Show>
          <Show when={props.post.visibility === 'public' && props.remix.stitch}>
            <A class="link" href={`/create/reel?stitch=${props.post.id}`} data-testid="reel-stitch">
              {t('reels.stitch')}
            </A>
          </Show>
          <Show when={mine()}>
            <A class="link" href={`/reels/${props.post.id}/analytics`} data-testid="reel-analytics">
              {t('reels.analytics')}
            </A>
          </Show>
          <Show when={!mine()}>
            <button type="button" class="link" data-testid="reel-not-interested" onClick={() => choose(props.onNotInterested)}>
              {t('reels.notInterested')}
            </button>
            <button type="button" class="link" onClick={() => choose(() => setOpen('report'))}>
              {t('report.action')}
            </button>
          </Show>
          <A class="link" href={`/posts/${props.post.id}`}>
            {t('reels.asPost')}
          </A>
        </div>
      </details>
      <Show when={open() === 'comments'}>
        <ReelComments post={props.post} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'report'}>
        <ReportDialog targetKind="post" targetId={props.post.id} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'share'}>
        <ShareDialog post={props.post} onClose={() => setOpen('none')} onShared={() => props.setPost('shares', (shares) => shares + 1)} />
      </Show>
      <Show when={open() === 'tip'}>
        <TipDialog post={props.post} onClose={() => setOpen('none')} />
      </Show>
    </div>
  );
}
