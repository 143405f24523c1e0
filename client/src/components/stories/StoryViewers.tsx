// Who viewed one of the user's stories, newest first, a page at a time, with the count; people
// who view it while the list is open join its top live (`story.viewed` on the user's topic, which
// names them by id: `people.summaries` gives the rest).
import { For, type JSX, onCleanup, onMount } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { PersonRow } from '../Person.tsx';
import { usePages } from '../usePages.ts';

type Person = Parameters<typeof PersonRow>[0]['person'];
interface Viewer {
  viewer: Person;
  viewedAt: string;
}

export function StoryViewers(props: { storyId: string; views: number; onClose: () => void }): JSX.Element {
  const pages = usePages<Viewer>(
    (cursor) => actions.call('stories.viewers', { storyId: props.storyId, cursor }),
    (item) => item.viewer.id,
  );
  onMount(() => {
    void pages.reload();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'story.viewed') return;
        const body = event.body as { storyId: string; viewerId: string; viewedAt: string };
        if (body.storyId !== props.storyId || pages.items().some((item) => item.viewer.id === body.viewerId)) return;
        // The event names them only: their name and picture as lists show them (none when a block now stands between).
        actions.call('people.summaries', { ids: [body.viewerId] }).then(
          ({ items: [viewer] }) => {
            if (viewer === undefined) return;
            pages.setItems((items) =>
              items.some((item) => item.viewer.id === viewer.id) ? items : [{ viewer, viewedAt: body.viewedAt }, ...items],
            );
          },
          (error: unknown) => actions.toast(errorText(error), 'error'),
        );
      }),
    );
  });
  return (
    <Dialog title={t('stories.viewersTitle', { count: props.views })} onClose={props.onClose} testId="story-viewers">
      <ul class="people">
        <For each={pages.items()}>{(item) => <PersonRow person={item.viewer} detail={formatRelative(item.viewedAt)} />}</For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('stories.noViewers')} />
    </Dialog>
  );
}
