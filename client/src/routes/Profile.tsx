// Someone's profile at /u/:username, as they let the viewer see it: the cover, the name, the
// counts, their story highlights (components/profile/ProfileHighlights.tsx), their posts, pets and
// details in tabs (components/profile/ProfileTabs.tsx), the presence dot (when allowed), and what
// the viewer can do about them. It stays live: changes on `profile:<id>` and the viewer's own
// `relation.changed` events fetch it again, and when the server revokes the topic (a block, a
// privacy change) the page asks again and may find nothing.
import { A, useParams } from '@solidjs/router';
import { createEffect, createSignal, type JSX, on, onCleanup, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { ProtocolError, type TopicHandle } from '../../../protocol/client.ts';
import { PROFILE_POSTS_COUNT_CAP } from '../../../protocol/lists.ts';
import { CallButtons } from '../components/call/CallButtons.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { MessageButton } from '../components/MessageButton.tsx';
import { MediaView } from '../components/media/MediaView.tsx';
import { Avatar, Badges } from '../components/Person.tsx';
import { ProfileHighlights } from '../components/profile/ProfileHighlights.tsx';
import { ProfileTabs } from '../components/profile/ProfileTabs.tsx';
import { RelationActions, relationLabel } from '../components/RelationActions.tsx';
import { formatNumber, t } from '../i18n/index.ts';
import { actions, errorText, state } from '../state/store.ts';

type Profile = CallResponse<'profile.get'>;
type Pet = CallResponse<'pets.get'>['pet'];
type Presence = 'online' | 'away' | 'offline';
type View = { kind: 'loading' } | { kind: 'found'; profile: Profile } | { kind: 'missing' } | { kind: 'failed'; text: string };

export default function ProfilePage(): JSX.Element {
  const params = useParams();
  const [view, setView] = createSignal<View>({ kind: 'loading' });
  const [pets, setPets] = createSignal<Pet[]>([]);
  const [presence, setPresence] = createSignal<Presence | undefined>();

  // The latest load wins: a reload after an access change may answer before one made earlier.
  let loads = 0;
  const load = async (username: string) => {
    const mine = ++loads;
    let profile: Profile;
    try {
      profile = await actions.call('profile.get', { username });
    } catch (error) {
      if (params.username !== username || mine !== loads) return;
      setView(
        error instanceof ProtocolError && error.code === 'NOT_FOUND' ? { kind: 'missing' } : { kind: 'failed', text: errorText(error) },
      );
      return;
    }
    if (params.username !== username || mine !== loads) return;
    setView({ kind: 'found', profile });
    if (profile.pets === undefined) {
      setPets([]);
      return;
    }
    try {
      setPets((await actions.call('pets.list', { ownerId: profile.id })).items);
    } catch (error) {
      // The pets became hidden between the two calls (a privacy change): show none.
      setPets([]);
      if (!(error instanceof ProtocolError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')))
        actions.toast(errorText(error), 'error');
    }
  };

  createEffect(
    on(
      () => params.username,
      (username = '') => {
        setView({ kind: 'loading' });
        setPresence(undefined);
        void load(username);
      },
    ),
  );

  const profile = () => {
    const current = view();
    return current.kind === 'found' ? current.profile : undefined;
  };
  const isSelf = () => profile()?.relation.state === 'self';
  const reload = () => void load(params.username ?? '');

  // Follow the profile's topic while it is shown; a revoke means the access changed: ask again.
  createEffect(
    on(
      () => profile()?.id,
      (id) => {
        if (id === undefined) return;
        const socket = actions.socket();
        if (socket === undefined) return;
        const handle = socket.subscribe(`profile:${id}`, () => reload(), {
          onReset: () => reload(),
          onState: (topicState) => {
            if (topicState === 'errored') reload();
          },
        });
        const stop = actions.onUserEvent((event) => {
          if (event.name === 'relation.changed' && (event.body as { userId: string }).userId === id) reload();
        });
        onCleanup(() => {
          stop();
          void handle.unsubscribe();
        });
      },
    ),
  );

  // The presence dot, for those the user lets see it (their own comes from the store).
  createEffect(
    on(
      () => {
        const current = profile();
        return current?.canSeePresence && !isSelf() ? current.id : undefined;
      },
      (id) => {
        if (id === undefined) return;
        const socket = actions.socket();
        if (socket === undefined) return;
        const read = () =>
          socket.call('presence.get', { userId: id }).then(
            (now) => setPresence(now.status),
            () => setPresence(undefined),
          );
        let handle: TopicHandle | undefined = socket.subscribe(
          `presence:${id}`,
          (event) => setPresence((event.body as { status: Presence }).status),
          { onReset: () => void read() },
        );
        void read();
        onCleanup(() => {
          void handle?.unsubscribe();
          handle = undefined;
          setPresence(undefined);
        });
      },
    ),
  );

  const shownPresence = () => (isSelf() ? state.presence : presence());

  return (
    <Show
      when={profile()}
      fallback={
        <section class="card" aria-live="polite">
          <Show when={view().kind === 'missing'}>
            <h1 data-testid="profile-not-found">{t('profile.notFound')}</h1>
            <p class="hint">{t('profile.notFoundHelp')}</p>
            <A href="/friends">{t('nav.friends')}</A>
          </Show>
          <Show when={view().kind === 'loading'}>
            <p>{t('form.working')}</p>
          </Show>
          <ErrorAlert
            text={(() => {
              const current = view();
              return current.kind === 'failed' ? current.text : undefined;
            })()}
          />
        </section>
      }
    >
      {(person) => (
        <>
          <article class="card profile" aria-labelledby="profile-name" data-testid="profile" data-user-id={person().id}>
            <div class="cover" aria-hidden="true" data-media-id={person().coverMediaId ?? undefined} data-testid="cover">
              <Show when={person().coverMediaId}>{(cover) => <MediaView id={cover()} layout="cover" alt="" />}</Show>
            </div>
            <header class="profile-head">
              <Avatar name={person().displayName || person().username} mediaId={person().avatarMediaId} large />
              <div>
                <h1 id="profile-name">
                  <bdi>{person().displayName || person().username}</bdi> <Badges badges={person().badges} />
                  <Show when={shownPresence()}>
                    {(status) => (
                      <span
                        class={`dot ${status()}`}
                        role="img"
                        aria-label={t(`presence.${status()}`)}
                        data-testid="profile-presence"
                        data-status={status()}
                      />
                    )}
                  </Show>
                </h1>
                <p class="hint">
                  @{person().username}
                  <Show when={person().accountType === 'business'}> · {t('profile.business')}</Show>
                </p>
                <p data-testid="relation-state">{relationLabel(person().relation)}</p>
                <Show when={person().relation.followedBy}>
                  <p class="hint">{t('relation.followsYou')}</p>
                </Show>
              </div>
            </header>
            <Show when={person().bio}>
              <p class="bio" dir="auto">
                {person().bio}
              </p>
            </Show>
            <ul class="counts" aria-label={t('profile.counts')}>
              <li data-testid="count-posts">
                {person().posts >= PROFILE_POSTS_COUNT_CAP
                  ? t('profile.postsCountAtLeast', { count: formatNumber(PROFILE_POSTS_COUNT_CAP) })
                  : t('profile.postsCount', { count: person().posts })}
              </li>
              <Show when={person().friends !== undefined}>
                <li data-testid="count-friends">{t('profile.friendsCount', { count: person().friends ?? 0 })}</li>
              </Show>
              <li data-testid="count-followers">{t('profile.followersCount', { count: person().followers })}</li>
              <Show when={person().pets !== undefined}>
                <li data-testid="count-pets">{t('profile.petsCount', { count: person().pets ?? 0 })}</li>
              </Show>
            </ul>
            <Show
              when={!isSelf()}
              fallback={
                <p class="row">
                  <A class="button secondary" href="/settings/profile">
                    {t('profile.edit')}
                  </A>
                  <A class="button secondary" href="/pets/new">
                    {t('pets.add')}
                  </A>
                  <A class="button secondary" href="/stories/archive">
                    {t('storyArchive.title')}
                  </A>
                  <A class="button secondary" href="/reels/analytics">
                    {t('reelAnalytics.title')}
                  </A>
                </p>
              }
            >
              <Show when={!person().relation.blocked}>
                <p class="row">
                  <MessageButton username={person().username} name={person().displayName || person().username} />
                  <CallButtons
                    conversationId={async () => (await actions.call('chats.direct', { userId: person().id })).conversationId}
                    name={person().displayName || person().username}
                  />
                </p>
              </Show>
              <RelationActions
                userId={person().id}
                name={person().displayName || person().username}
                relation={person().relation}
                canSendRequest={person().canSendRequest}
                canFollow={person().canFollow}
                onChange={(relation) => setView({ kind: 'found', profile: { ...person(), relation } })}
              />
            </Show>
          </article>
          <Show when={person().id} keyed>
            {(_id) => <ProfileHighlights person={person()} own={isSelf()} />}
          </Show>
          <ProfileTabs profile={person()} pets={pets()} />
        </>
      )}
    </Show>
  );
}
