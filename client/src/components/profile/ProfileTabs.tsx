// The lower half of a profile, in tabs (Kobalte's: arrow keys move between them): Posts (the
// person's posts the viewer may see, as a list or as a grid of their photos, more loading as the
// end comes into view), Reels (a grid of their covers with view counts, each opening the player
// at /u/:username/reels?start=<id>), Pets (cards with a photo, the species and a lost badge) and About (place,
// language, time zone, when they joined).
import { Tabs } from '@kobalte/core/tabs';
import { A } from '@solidjs/router';
import { LayoutGrid, List } from 'lucide-solid';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { locale, t } from '../../i18n/index.ts';
import { LOCALE_NAMES } from '../../i18n/locales.ts';
import { keepList } from '../../state/listMemory.ts';
import { actions } from '../../state/store.ts';
import { LoadMore } from '../LoadMore.tsx';
import { MediaView } from '../media/MediaView.tsx';
import { PetCard } from '../PetCard.tsx';
import { PostCard } from '../PostCard.tsx';
import { ReelGrid } from '../reels/ReelGrid.tsx';
import { IconButton } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { usePages } from '../usePages.ts';

type Profile = CallResponse<'profile.get'>;
type Pet = CallResponse<'pets.get'>['pet'];

function Posts(props: { userId: string }): JSX.Element {
  const pages = usePages((cursor) => actions.call('posts.byAuthor', { userId: props.userId, cursor }));
  const [grid, setGrid] = createSignal(false);
  // Back from one of the posts: the list as it was, at the same place. The key is read now: when
  // the profile goes (a block), its props can no longer be read while this is cleaned up.
  const key = `profile:${props.userId}`;
  onMount(() => keepList(() => key, pages));
  const withPhotos = () => pages.items().filter((post) => post.mediaIds.length > 0);
  return (
    <>
      <div class="row end view-switch">
        <IconButton icon={List} label={t('profile.asList')} aria-pressed={!grid()} onClick={() => setGrid(false)} />
        <IconButton icon={LayoutGrid} label={t('profile.asGrid')} aria-pressed={grid()} onClick={() => setGrid(true)} />
      </div>
      <Show
        when={grid()}
        fallback={
          <ol class="posts" aria-label={t('profile.tabPosts')} data-testid="profile-posts">
            <For each={pages.items()}>
              {(post) => (
                <li>
                  <PostCard post={post} onGone={() => pages.setItems((items) => items.filter((each) => each.id !== post.id))} />
                </li>
              )}
            </For>
          </ol>
        }
      >
        <Show when={!pages.loaded() || withPhotos().length > 0} fallback={<EmptyState title={t('profile.noPhotos')} />}>
          <ul class="photo-grid" data-testid="profile-grid">
            <For each={withPhotos()}>
              {(post) => (
                <li>
                  <A href={`/posts/${post.id}`} aria-label={post.text || t('media.image')}>
                    <MediaView id={post.mediaIds[0] as string} layout="tile" alt="" />
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <LoadMore pages={pages} count={pages.items().length} empty={t('profile.noPosts')} illustrated />
    </>
  );
}

function Reels(props: { profile: Profile }): JSX.Element {
  const pages = usePages(
    (cursor) => actions.call('reels.byAuthor', cursor === undefined ? { userId: props.profile.id } : { userId: props.profile.id, cursor }),
    (reel) => reel.post.id,
  );
  const username = props.profile.username;
  onMount(() => void pages.reload());
  return (
    <ReelGrid
      pages={pages}
      href={(reel) => `/u/${encodeURIComponent(username)}/reels?start=${reel.post.id}`}
      empty={t('reels.empty')}
      testId="profile-reels"
    />
  );
}

function Pets(props: { pets: Pet[] }): JSX.Element {
  return (
    <Show when={props.pets.length > 0} fallback={<EmptyState title={t('pets.none')} />}>
      <ul class="pet-cards" data-testid="pets">
        <For each={props.pets}>{(pet) => <PetCard pet={{ ...pet, lost: pet.lost !== null }} />}</For>
      </ul>
    </Show>
  );
}

function About(props: { profile: Profile }): JSX.Element {
  return (
    <dl class="facts">
      <Show when={props.profile.location}>
        {(place) => (
          <>
            <dt>{t('profile.location')}</dt>
            <dd>{place().placeName || `${place().latitude.toFixed(2)}, ${place().longitude.toFixed(2)}`}</dd>
          </>
        )}
      </Show>
      <Show when={props.profile.locale}>
        {(code) => (
          <>
            <dt>{t('profile.locale')}</dt>
            <dd>{LOCALE_NAMES[code()] ?? code()}</dd>
          </>
        )}
      </Show>
      <Show when={props.profile.timezone}>
        {(zone) => (
          <>
            <dt>{t('profile.timezone')}</dt>
            <dd>{zone()}</dd>
          </>
        )}
      </Show>
      <dt>{t('profile.joined')}</dt>
      <dd>{new Date(props.profile.joinedAt).toLocaleDateString(locale())}</dd>
    </dl>
  );
}

export function ProfileTabs(props: { profile: Profile; pets: Pet[] }): JSX.Element {
  return (
    <Tabs class="profile-tabs" defaultValue="posts">
      <Tabs.List class="tab-list" aria-label={t('profile.sections')}>
        <Tabs.Trigger class="tab" value="posts">
          {t('profile.tabPosts')}
        </Tabs.Trigger>
        <Tabs.Trigger class="tab" value="reels" data-testid="profile-tab-reels">
          {t('reels.title')}
        </Tabs.Trigger>
        <Show when={props.profile.pets !== undefined}>
          <Tabs.Trigger class="tab" value="pets">
            {t('pets.title')}
          </Tabs.Trigger>
        </Show>
        <Tabs.Trigger class="tab" value="about">
          {t('profile.tabAbout')}
        </Tabs.Trigger>
        <Tabs.Indicator class="tab-indicator" />
      </Tabs.List>
      <Tabs.Content value="posts">
        <Posts userId={props.profile.id} />
      </Tabs.Content>
      <Tabs.Content value="reels">
        <Reels profile={props.profile} />
      </Tabs.Content>
      <Tabs.Content value="pets">
        <Pets pets={props.pets} />
      </Tabs.Content>
      <Tabs.Content value="about">
        <About profile={props.profile} />
      </Tabs.Content>
    </Tabs>
  );
}
