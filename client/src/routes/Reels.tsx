// The reels screens, all the one player (components/reels/ReelFeed.tsx) over a different list:
//   /reels                         the For You and Following tabs (reels.forYou, reels.following);
//   /reels/:id                     one reel (reels.get, opened from a link: source `link`), then
//                                  For You goes on after it;
//   /u/:username/reels?start=<id>  a person's reels from one of their grid (source `profile`);
//   /sounds/:id/reels?start=<id>   the reels made with a sound from its page (source `sound`).
import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { ArrowLeft, ArrowRight } from 'lucide-solid';
import { createSignal, For, type JSX, Show } from 'solid-js';
import { ReelFeed } from '../components/reels/ReelFeed.tsx';
import { IconButton } from '../components/ui/Button.tsx';
import { direction, t } from '../i18n/index.ts';
import type { Reel, ReelPage } from '../state/reels.ts';
import type { ReelSource } from '../state/reelWatch.ts';
import { actions } from '../state/store.ts';

type Tab = 'for_you' | 'following';
const TABS: readonly Tab[] = ['for_you', 'following'];
/** Pages read at most to find the reel a grid opened. */
const FIND_PAGES = 5;

const tagged = (reels: Reel[], source: ReelSource) => reels.map((reel) => ({ reel, source }));

const forYou = async (cursor: string | undefined): Promise<ReelPage> => {
  const page = await actions.call('reels.forYou', cursor === undefined ? {} : { cursor });
  return {
    items: tagged(
      page.items.map((item) => item.reel),
      'for_you',
    ),
    nextCursor: page.nextCursor,
  };
};
const following = async (cursor: string | undefined): Promise<ReelPage> => {
  const page = await actions.call('reels.following', cursor === undefined ? {} : { cursor });
  return { items: tagged(page.items, 'following'), nextCursor: page.nextCursor };
};

/** A list opened at one of its reels: the first load reads on until that reel is in (a few pages at most). */
function from(
  read: (cursor: string | undefined) => Promise<{ items: Reel[]; nextCursor: string | null }>,
  source: ReelSource,
  startId: string | undefined,
) {
  return async (cursor: string | undefined): Promise<ReelPage> => {
    let page = await read(cursor);
    const items = [...page.items];
    for (let read_ = 1; cursor === undefined && startId !== undefined && read_ < FIND_PAGES; read_ += 1) {
      if (items.some((reel) => reel.post.id === startId) || page.nextCursor === null) break;
      page = await read(page.nextCursor);
      items.push(...page.items);
    }
    return { items: tagged(items, source), nextCursor: page.nextCursor };
  };
}

function Back(): JSX.Element {
  const navigate = useNavigate();
  return (
    <IconButton
      class="reels-back"
      icon={direction() === 'rtl' ? ArrowRight : ArrowLeft}
      label={t('reels.back')}
      onClick={() => (history.length > 1 ? history.back() : navigate('/reels'))}
    />
  );
}

export default function Reels(): JSX.Element {
  const [params, setParams] = useSearchParams();
  const tab = (): Tab => (params.tab === 'following' ? 'following' : 'for_you');
  const header = (
    <nav class="reels-tabs" aria-label={t('reels.feeds')}>
      <For each={TABS}>
        {(each) => (
          <button
            type="button"
            class="reels-tab"
            aria-pressed={tab() === each}
            data-testid={`reels-tab-${each}`}
            onClick={() => setParams({ tab: each === 'for_you' ? undefined : each }, { replace: true })}
          >
            {each === 'for_you' ? t('reels.forYou') : t('reels.following')}
          </button>
        )}
      </For>
    </nav>
  );
  return (
    <>
      <h1 class="visually-hidden">{t('reels.title')}</h1>
      <Show when={tab()} keyed>
        {(shown) => (
          <ReelFeed
            load={shown === 'following' ? following : forYou}
            header={header}
            empty={shown === 'following' ? { title: t('reels.emptyFollowing'), text: t('reels.emptyFollowingHint') } : undefined}
          />
        )}
      </Show>
    </>
  );
}

/** One reel, then For You after it. */
export function ReelPageScreen(): JSX.Element {
  const params = useParams();
  const [first, setFirst] = createSignal<string | undefined>();
  const load = async (cursor: string | undefined): Promise<ReelPage> => {
    if (cursor === undefined) {
      const reel = await actions.call('reels.get', { reelId: params.id ?? '' });
      setFirst(reel.post.id);
      // An empty cursor: For You from its start.
      return { items: [{ reel, source: 'link' }], nextCursor: '' };
    }
    const page = await forYou(cursor === '' ? undefined : cursor);
    return { ...page, items: page.items.filter((item) => item.reel.post.id !== first()) };
  };
  return (
    <>
      <h1 class="visually-hidden">{t('reels.title')}</h1>
      <Show when={params.id} keyed>
        {(_id) => <ReelFeed load={load} header={<Back />} testId="reel-single" />}
      </Show>
    </>
  );
}

/** A person's reels, opened from their profile's grid. */
export function AuthorReels(): JSX.Element {
  const params = useParams();
  const [search] = useSearchParams();
  const startId = () => (typeof search.start === 'string' ? search.start : undefined);
  let userId: string | undefined;
  const read = async (cursor: string | undefined) => {
    userId ??= (await actions.call('profile.get', { username: params.username ?? '' })).id;
    return actions.call('reels.byAuthor', cursor === undefined ? { userId } : { userId, cursor });
  };
  return (
    <>
      <h1 class="visually-hidden">{t('reels.title')}</h1>
      <ReelFeed load={from(read, 'profile', startId())} startId={startId()} header={<Back />} testId="reels-profile" />
    </>
  );
}

/** The reels made with a sound, opened from its page. */
export function SoundReels(): JSX.Element {
  const params = useParams();
  const [search] = useSearchParams();
  const startId = () => (typeof search.start === 'string' ? search.start : undefined);
  const read = (cursor: string | undefined) =>
    actions.call('sounds.reels', cursor === undefined ? { soundId: params.id ?? '' } : { soundId: params.id ?? '', cursor });
  return (
    <>
      <h1 class="visually-hidden">{t('reels.title')}</h1>
      <ReelFeed load={from(read, 'sound', startId())} startId={startId()} header={<Back />} testId="reels-sound-feed" />
    </>
  );
}
