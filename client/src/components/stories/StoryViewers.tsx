// Who viewed one of the user's stories, newest first, a page at a time, with the count; people
// who view it while the list is open join its top live (`story.viewed` on the user's topic).
import { For, type JSX, onCleanup, onMount } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
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
        const body = event.body as { storyId: string; viewer: Person; viewedAt: string };
        if (body.storyId !== props.storyId) return;
        pages.setItems((items) =>
          items.some((item) => item.viewer.id === body.viewer.id) ? items : [{ viewer: body.viewer, viewedAt: body.viewedAt }, ...items],
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
