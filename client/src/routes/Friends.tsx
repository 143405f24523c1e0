// /friends: people search, friend requests both ways, the friends list (close friends only on
// demand, "load more"), and suggestions with the reasons behind them. Every list follows the
// user's `relation.changed` events, so a request or an accept elsewhere shows here at once.
import { createSignal, For, type JSX, onCleanup, onMount } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { DISTANCE_BANDS } from '../../../protocol/lists.ts';
import { CheckField } from '../components/Field.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { PeopleSearch } from '../components/PeopleSearch.tsx';
import { PersonRow } from '../components/Person.tsx';
import { usePages } from '../components/usePages.ts';
import { formatRelative, t } from '../i18n/index.ts';
import { relate } from '../state/relations.ts';
import { actions, errorText, state } from '../state/store.ts';

type Suggestion = CallResponse<'friends.suggestions'>['items'][number];
const NONE = { state: 'none', closeFriend: false, following: false, followedBy: false, blocked: false } as const;

export default function Friends(): JSX.Element {
  const me = () => state.user?.id ?? '';
  const [closeOnly, setCloseOnly] = createSignal(false);
  const incoming = usePages((cursor) => actions.call('friends.requests', { direction: 'incoming', cursor }));
  const outgoing = usePages((cursor) => actions.call('friends.requests', { direction: 'outgoing', cursor }));
  const friends = usePages((cursor) => actions.call('friends.list', { userId: me(), cursor, closeOnly: closeOnly() }));
  const [suggestions, setSuggestions] = createSignal<Suggestion[]>([]);
  const [suggestionsError, setSuggestionsError] = createSignal<string | undefined>();
  const loadSuggestions = async () => {
    try {
      setSuggestions((await actions.call('friends.suggestions', { limit: 10 })).items);
      setSuggestionsError(undefined);
    } catch (error) {
      setSuggestionsError(errorText(error));
    }
  };
  const reloadAll = () => {
    void incoming.reload();
    void outgoing.reload();
    void friends.reload();
  };
  onMount(() => {
    reloadAll();
    void loadSuggestions();
    const stop = actions.onUserEvent((event) => {
      if (event.name === 'relation.changed') reloadAll();
    });
    onCleanup(stop);
  });

  /** Optimistic: the request leaves its list at once and comes back if the server refuses. */
  const answer = async (list: typeof incoming, userId: string, change: 'friends.accept' | 'friends.decline' | 'friends.cancel') => {
    const before = list.items();
    list.setItems(before.filter((item) => item.person.id !== userId));
    const state = change === 'friends.cancel' ? 'request_sent' : 'request_received';
    const settled = await relate(change, userId, { ...NONE, state }, () => undefined);
    if (settled === undefined) list.setItems(before);
    else if (change === 'friends.accept') void friends.reload();
  };

  const setClose = async (userId: string, close: boolean) => {
    const before = friends.items();
    const mark = (value: boolean) =>
      friends.setItems((items) => items.map((item) => (item.id === userId ? { ...item, closeFriend: value } : item)));
    await relate(close ? 'friends.close' : 'friends.notClose', userId, { ...NONE, state: 'friends', closeFriend: !close }, (relation) =>
      mark(relation.closeFriend),
    );
    if (closeOnly() && !close) friends.setItems(before.filter((item) => item.id !== userId));
  };

  const request = async (userId: string) => {
    const before = suggestions();
    setSuggestions(before.filter((item) => item.person.id !== userId));
    const settled = await relate('friends.request', userId, NONE, () => undefined);
    if (settled === undefined) setSuggestions(before);
  };

  const reasons = (suggestion: Suggestion) =>
    [
      suggestion.mutualFriends > 0 ? t('friends.mutual', { count: suggestion.mutualFriends }) : '',
      suggestion.sharedSpecies.length > 0
        ? t('friends.sharedSpecies', {
            species: suggestion.sharedSpecies.map((species) => t(`species.${species}` as 'species.dog')).join(', '),
          })
        : '',
      suggestion.distanceBand === null
        ? ''
        : t('friends.within', { km: DISTANCE_BANDS.find(({ band }) => band === suggestion.distanceBand)?.upToKm ?? '' }),
    ]
      .filter((reason) => reason !== '')
      .join(' · ');

  return (
    <section class="card" aria-labelledby="friends-title">
      <h1 id="friends-title">{t('friends.title')}</h1>
      <PeopleSearch />

      <section aria-labelledby="incoming-title" data-testid="incoming">
        <h2 id="incoming-title">{t('friends.incoming')}</h2>
        <ul class="people">
          <For each={incoming.items()}>
            {(item) => (
              <PersonRow person={item.person} detail={formatRelative(item.sentAt)}>
                <button type="button" onClick={() => void answer(incoming, item.person.id, 'friends.accept')}>
                  {t('relation.accept')}
                </button>
                <button type="button" class="secondary" onClick={() => void answer(incoming, item.person.id, 'friends.decline')}>
                  {t('relation.decline')}
                </button>
              </PersonRow>
            )}
          </For>
        </ul>
        <LoadMore pages={incoming} count={incoming.items().length} empty={t('friends.noIncoming')} />
      </section>

      <section aria-labelledby="outgoing-title" data-testid="outgoing">
        <h2 id="outgoing-title">{t('friends.outgoing')}</h2>
        <ul class="people">
          <For each={outgoing.items()}>
            {(item) => (
              <PersonRow person={item.person} detail={formatRelative(item.sentAt)}>
                <button type="button" class="secondary" onClick={() => void answer(outgoing, item.person.id, 'friends.cancel')}>
                  {t('relation.cancel')}
                </button>
              </PersonRow>
            )}
          </For>
        </ul>
        <LoadMore pages={outgoing} count={outgoing.items().length} empty={t('friends.noOutgoing')} />
      </section>

      <section aria-labelledby="list-title" data-testid="friends-list">
        <h2 id="list-title">{t('friends.list')}</h2>
        <CheckField
          label={t('friends.closeOnly')}
          checked={closeOnly()}
          onChange={(checked) => {
            setCloseOnly(checked);
            void friends.reload();
          }}
        />
        <ul class="people">
          <For each={friends.items()}>
            {(friend) => (
              <PersonRow person={friend} detail={t('friends.since', { when: formatRelative(friend.since) })}>
                <button
                  type="button"
                  class="secondary"
                  aria-pressed={friend.closeFriend === true}
                  aria-label={t('relation.closeFriendOf', { name: friend.displayName || friend.username })}
                  onClick={() => void setClose(friend.id, friend.closeFriend !== true)}
                >
                  {friend.closeFriend === true ? '★' : '☆'}
                </button>
              </PersonRow>
            )}
          </For>
        </ul>
        <LoadMore pages={friends} count={friends.items().length} empty={closeOnly() ? t('friends.noClose') : t('friends.none')} />
      </section>

      <section aria-labelledby="suggestions-title">
        <h2 id="suggestions-title">{t('friends.suggestions')}</h2>
        <ErrorAlert text={suggestionsError()} />
        <ul class="people">
          <For each={suggestions()} fallback={<li class="hint">{t('friends.noSuggestions')}</li>}>
            {(suggestion) => (
              <PersonRow person={suggestion.person} detail={reasons(suggestion)}>
                <button type="button" onClick={() => void request(suggestion.person.id)}>
                  {t('relation.add')}
                </button>
              </PersonRow>
            )}
          </For>
        </ul>
      </section>
    </section>
  );
}
