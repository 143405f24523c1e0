// /settings/blocked: the people the user blocked, newest first; unblocking is optimistic.
import { For, type JSX, onMount } from 'solid-js';
import { LoadMore } from '../../components/LoadMore.tsx';
import { PersonRow } from '../../components/Person.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { usePages } from '../../components/usePages.ts';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';

export default function Blocked(): JSX.Element {
  const pages = usePages((cursor) => actions.call('blocks.list', { cursor }));
  onMount(() => void pages.reload());
  const unblock = async (userId: string) => {
    const before = pages.items();
    pages.setItems(before.filter((item) => item.person.id !== userId));
    try {
      await actions.call('blocks.unblock', { userId });
      actions.toast(t('blocked.unblocked'));
    } catch (error) {
      pages.setItems(before);
      actions.toast(errorText(error), 'error');
    }
  };
  return (
    <section class="card" aria-labelledby="blocked-title">
      <SettingsNav />
      <h1 id="blocked-title">{t('settings.blocked')}</h1>
      <p class="hint">{t('blocked.help')}</p>
      <ul class="people" data-testid="blocked">
        <For each={pages.items()}>
          {(item) => (
            <PersonRow person={item.person} detail={t('blocked.since', { when: formatRelative(item.blockedAt) })}>
              <button type="button" class="secondary" onClick={() => void unblock(item.person.id)}>
                {t('relation.unblock')}
              </button>
            </PersonRow>
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('blocked.none')} />
    </section>
  );
}
